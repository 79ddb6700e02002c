import type { Finding } from './finding';
import { makeFinding, type RuleContext } from './rule-context';
import type { Address, Customer, Invoice } from './records';
import { addressText } from './wording';

// Case and spacing differences are not a different address.
function normalized(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

function sameAddress(a: Address, b: Address): boolean {
  return (
    normalized(a.line1) === normalized(b.line1) &&
    normalized(a.city) === normalized(b.city) &&
    normalized(a.postalCode) === normalized(b.postalCode) &&
    normalized(a.country) === normalized(b.country)
  );
}

/** The invoice's billing address against the customer master; no money at stake (delta 0). */
export function billingDetailsFindings(
  invoice: Invoice,
  customer: Customer,
  context: RuleContext,
): Finding[] {
  if (sameAddress(invoice.billingAddress, customer.billingAddress)) return [];
  const explanation =
    `Invoice ${invoice.id} is addressed to ${addressText(invoice.billingAddress)} but ` +
    `customer ${customer.id}'s billing address is ${addressText(customer.billingAddress)}.`;
  return [makeFinding(context, 'billing_details', null, 0n, null, null, explanation)];
}

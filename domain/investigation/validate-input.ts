import type { Money } from '../money';
import { InvestigationInputError, type InvestigationInput } from './input';

function expectCurrency(amount: Money, currency: string, what: string): void {
  if (amount.currency !== currency) {
    throw new InvestigationInputError(`${what} is in ${amount.currency}, not ${currency}`);
  }
}

/** Rejects inputs whose records do not belong together; the rules assume one currency. */
export function validateInput(input: InvestigationInput): void {
  const { invoice, customer, purchaseOrder, contract } = input;
  if (invoice.customerId !== customer.id) {
    throw new InvestigationInputError(
      `invoice ${invoice.id} belongs to customer ${invoice.customerId}, not ${customer.id}`,
    );
  }
  if (invoice.purchaseOrderId !== purchaseOrder.id) {
    throw new InvestigationInputError(
      `invoice ${invoice.id} is for purchase order ${invoice.purchaseOrderId}, not ${purchaseOrder.id}`,
    );
  }
  if (purchaseOrder.contractId !== contract.id) {
    throw new InvestigationInputError(
      `purchase order ${purchaseOrder.id} is under contract ${purchaseOrder.contractId}, not ${contract.id}`,
    );
  }
  const currency = invoice.currency;
  if (customer.currency !== currency) {
    throw new InvestigationInputError(
      `invoice ${invoice.id} is in ${currency} but customer ${customer.id} is billed in ${customer.currency}`,
    );
  }
  expectCurrency(invoice.subtotal, currency, `subtotal of invoice ${invoice.id}`);
  expectCurrency(invoice.tax, currency, `tax of invoice ${invoice.id}`);
  expectCurrency(invoice.total, currency, `total of invoice ${invoice.id}`);
  for (const line of invoice.lines) {
    expectCurrency(line.unitPrice, currency, `unit price of line ${line.id}`);
    expectCurrency(line.lineTotal, currency, `total of line ${line.id}`);
  }
  for (const price of contract.prices) {
    expectCurrency(price.unitPrice, currency, `contract ${contract.id} price of ${price.sku}`);
  }
}

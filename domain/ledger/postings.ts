// The double-entry lines of every document Settle books. Each builder returns balanced lines;
// tax is always its own line so the tax authority's share is visible on every posting.
import {
  COMPANY_ACCOUNTS as A,
  credit,
  debit,
  receivableAccount,
  reverseLines,
  type LedgerLine,
} from './accounts';
import type { TaxSplit } from './tax';

/** What an invoice bills: the total is receivable, the tax is owed on, the rest is revenue. */
export interface BilledAmounts {
  customerId: string;
  total: bigint;
  tax: bigint;
}

/**
 * An issued invoice. Revenue is `total − tax`, not the stated subtotal, so the posting balances
 * and the receivable is what the customer was actually billed even if the invoice's own
 * arithmetic is wrong (the investigation reports that separately).
 */
export function invoiceLines({ customerId, total, tax }: BilledAmounts): LedgerLine[] {
  return [
    debit(receivableAccount(customerId), total),
    credit(A.revenue, total - tax),
    credit(A.taxPayable, tax),
  ];
}

/** A voided invoice: the exact mirror of its issue. */
export function voidInvoiceLines(billed: BilledAmounts): LedgerLine[] {
  return reverseLines(invoiceLines(billed));
}

/** A payment received from the customer. */
export function paymentLines(customerId: string, amount: bigint): LedgerLine[] {
  return [debit(A.cash, amount), credit(receivableAccount(customerId), amount)];
}

/** Credit note: the overcharge leaves the receivable; revenue (via contra-revenue) and tax shrink. */
export function creditNoteLines(customerId: string, split: TaxSplit): LedgerLine[] {
  return [
    debit(A.contraRevenue, split.net.minor),
    debit(A.taxPayable, split.tax.minor),
    credit(receivableAccount(customerId), split.gross.minor),
  ];
}

/**
 * Refund: the customer's credit balance (left by a credit note on a paid invoice) becomes money
 * owed back to them. No tax line: the tax was reversed by the credit note it settles.
 */
export function refundLines(customerId: string, amount: bigint): LedgerLine[] {
  return [debit(receivableAccount(customerId), amount), credit(A.refundsPayable, amount)];
}

/** Debit note: an undercharge (or unbilled delivery) billed: receivable up, revenue and tax up. */
export function debitNoteLines(customerId: string, split: TaxSplit): LedgerLine[] {
  return [
    debit(receivableAccount(customerId), split.gross.minor),
    credit(A.revenue, split.net.minor),
    credit(A.taxPayable, split.tax.minor),
  ];
}

/**
 * Write-off of a small undercharge: the delivered goods are recognized (revenue and the tax due on
 * them) and the amount the customer is not asked for is written off, so the customer's receivable
 * shows both and nets to zero.
 */
export function writeOffLines(customerId: string, split: TaxSplit): LedgerLine[] {
  return [
    ...debitNoteLines(customerId, split),
    debit(A.writeOffs, split.gross.minor),
    credit(receivableAccount(customerId), split.gross.minor),
  ];
}

/** Corrected invoice: the original is voided in full and its replacement issued, in one posting. */
export function correctedInvoiceLines(
  original: BilledAmounts,
  replacement: BilledAmounts,
): LedgerLine[] {
  return [...voidInvoiceLines(original), ...invoiceLines(replacement)];
}

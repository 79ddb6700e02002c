import type { PostedCorrection } from '../ledger/correction-effect';
import type { Contract, Customer, Delivery, Invoice, Payment, PurchaseOrder } from './records';

/** Everything one invoice's investigation reads; gather it with `investigationInputFor`. */
export interface InvestigationInput {
  invoice: Invoice;
  customer: Customer;
  /** The invoice's purchase order. */
  purchaseOrder: PurchaseOrder;
  /** The deliveries of that purchase order. */
  deliveries: readonly Delivery[];
  /** The purchase order's contract. */
  contract: Contract;
  /** The customer's other invoices (voided ones left out); the investigated one is skipped if present. */
  otherInvoices: readonly Invoice[];
  // Accepted so callers can pass the account as a whole; the README defines no payment rule yet.
  payments?: readonly Payment[];
  /**
   * Corrections Settle already posted for this invoice (by any dispute), in posting order: the
   * investigation compares with the invoice as corrected (`already_corrected`).
   */
  corrections?: readonly PostedCorrection[];
  /** The dispute's reason, if the investigation runs for a dispute. */
  reason?: string | null;
}

/**
 * Why an investigation cannot run, as its activity's non-retryable failure type: the invoice (or a
 * record it needs) is gone, or the records do not fit together. Retrying fixes neither; a person
 * (or an import) must.
 */
export const BILLING_DATA_PROBLEMS = ['MissingRecord', 'InvalidBillingData'] as const;
export type BillingDataProblem = (typeof BILLING_DATA_PROBLEMS)[number];

export class InvestigationInputError extends Error {
  override readonly name = 'InvestigationInputError';
}

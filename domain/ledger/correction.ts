// The contract between the dispute workflow's correcting phase and the ledger activities.
// Types and constants only, so workflows can import them.
import { DECISIONS, type DecisionKind } from '../dispute';
import type { MoneyDto } from '../money';

/** Every decision but `reject` corrects the books. */
export type CorrectionKind = Exclude<DecisionKind, 'reject'>;
export const CORRECTION_KINDS: readonly CorrectionKind[] = DECISIONS.filter(
  (kind): kind is CorrectionKind => kind !== 'reject',
);

/** Documents a correction issues; a refund issues a credit note and a refund. */
export type DocumentKind = CorrectionKind;

/** Document numbers look like CN-000123, one gap-free sequence per prefix. */
export const DOCUMENT_PREFIXES: Readonly<Record<DocumentKind, string>> = {
  credit_note: 'CN',
  refund: 'RF',
  corrected_invoice: 'CI',
  debit_note: 'DN',
  payment_plan: 'PP',
  write_off: 'WO',
};

/** Reversals of posted documents: their own gap-free sequence. */
export const REVERSAL_PREFIX = 'RV';

export function formatDocumentNumber(prefix: string, sequence: number): string {
  return `${prefix}-${String(sequence).padStart(6, '0')}`;
}

const SETTLE_NUMBER = new RegExp(
  `^(${[...Object.values(DOCUMENT_PREFIXES), REVERSAL_PREFIX].join('|')})-\\d{6,}$`,
);

/** Settle's own document numbers (CI-000012, RV-000003 …) are reserved: no import may use one. */
export function isSettleDocumentNumber(id: string): boolean {
  return SETTLE_NUMBER.test(id);
}

export interface CorrectionRequest {
  disputeId: string;
  customerId: string;
  invoiceId: string;
  kind: CorrectionKind;
  /** The agreed amount, tax included, positive, in the invoice's currency. */
  amount: MoneyDto;
  /** payment_plan only: how many installments. */
  installments: number | null;
  /** Unique per dispute and step, e.g. `correction.r2`; the idempotency keys derive from it. */
  step: string;
  /** The manager who approved the decision (above the agent limit, or their own), for the record. */
  approvedBy: string | null;
  /**
   * What justifies the correction: the investigation rules as they stand when it is posted
   * (`rules`), or the findings a person submitted in review (`review`, read from the dispute).
   * Either way the invoice's corrections, this one included, never exceed that discrepancy.
   */
  basis: 'rules' | 'review';
  /**
   * payment_plan only: the instant the schedule counts from (the offer's date, so the due dates are
   * the ones the customer accepted). Defaults to the time of posting.
   */
  installmentsFrom?: string | null;
}

export interface InstallmentDto {
  number: number;
  /** YYYY-MM-DD */
  dueAt: string;
  amount: MoneyDto;
  status: string;
}

export interface AdjustmentDto {
  id: string;
  kind: string;
  documentNumber: string;
  /** Tax included. */
  amount: MoneyDto;
  /** The tax part of `amount`. */
  tax: MoneyDto;
  createdAt: string;
  details: Record<string, unknown>;
  installments?: InstallmentDto[];
}

/** The documents a correction of `kind` issues, in the order they are numbered and returned. */
export function documentsOf(kind: CorrectionKind): DocumentKind[] {
  return kind === 'refund' ? ['credit_note', 'refund'] : [kind];
}

/** The unique idempotency key of one document of one correction step. */
export function adjustmentKey(disputeId: string, step: string, document: DocumentKind): string {
  return `correction:${disputeId}:${step}:${document}`;
}

/** The unique idempotency key of the reversal of one document in one reversal step. */
export function reversalKey(disputeId: string, step: string, documentNumber: string): string {
  return `reversal:${disputeId}:${step}:${documentNumber}`;
}

/** Why a correction cannot be posted; never fixed by retrying. */
export const CORRECTION_PROBLEMS = [
  'MissingRecord',
  'InvalidCorrection',
  'UnjustifiedCorrection',
] as const;
export type CorrectionProblem = (typeof CORRECTION_PROBLEMS)[number];

/** The answer of a dry run of a correction: the same checks as posting, nothing written. */
export type CorrectionCheck =
  { ok: true } | { ok: false; problem: CorrectionProblem; message: string };

/** A manager's reversal of the documents one correction posted (a refund: its credit note too). */
export interface ReversalRequest {
  disputeId: string;
  customerId: string;
  invoiceId: string;
  /** Any document of the correction to reverse, e.g. CN-000012. */
  documentNumber: string;
  /** Unique per dispute and step, e.g. `reversal.2`; the idempotency keys derive from it. */
  step: string;
  reason: string;
  reversedBy: string;
}

/** A payment plan's installment as payments recorded so far settle it (oldest first). */
export interface InstallmentStatus {
  number: number;
  /** YYYY-MM-DD */
  dueAt: string;
  amount: MoneyDto;
  /** What payments matched to it so far; equal to amount once paid. */
  paid: MoneyDto;
  status: 'scheduled' | 'paid' | 'cancelled';
}

export class CorrectionError extends Error {
  override readonly name = 'CorrectionError';
  constructor(
    readonly problem: CorrectionProblem,
    message: string,
  ) {
    super(message);
  }
}

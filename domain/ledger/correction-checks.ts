// What must hold before a correction is posted, and the facts about its invoice it is checked
// against. Every failure is a CorrectionError: retrying cannot fix it.
import { CorrectionError, type CorrectionRequest } from './correction';
import {
  effectOf,
  remediesFor,
  withinDiscrepancy,
  type PostedCorrection,
} from './correction-effect';
import {
  absMinor,
  formatAmount,
  fromMoneyDto,
  money,
  MoneyError,
  type Money,
  type MoneyDto,
} from '../money';

export const MAX_INSTALLMENTS = 120;

export interface InvoiceFacts {
  id: string;
  customerId: string;
  currency: string;
  /** The rate the invoice charged: credits reverse tax at it. */
  taxRate: string;
  /** The customer's current rate: new charges (debit notes, write-offs, plans) bill tax at it. */
  customerTaxRate: string;
  subtotal: bigint;
  tax: bigint;
  total: bigint;
  voided: boolean;
  /** What this invoice bills after earlier corrections: total + debits − credits. */
  billed: bigint;
  /** billed − payments + refunds: still owed on it; negative when the customer overpaid. */
  open: bigint;
}

/** How a document changes what its invoice bills (credits reduce it, debits add) and refunds. */
function balanceEffect(doc: PostedCorrection): { billed: bigint; refunded: bigint } {
  switch (doc.kind) {
    case 'credit_note':
      return { billed: -doc.amount, refunded: 0n };
    case 'debit_note':
    case 'payment_plan':
      return { billed: doc.amount, refunded: 0n };
    case 'refund':
      return { billed: 0n, refunded: doc.amount };
    // A write-off bills and writes off the same amount; a corrected invoice replaces the invoice.
    default:
      return { billed: 0n, refunded: 0n };
  }
}

/**
 * `billed` and `open` of an invoice from its payments and the corrections already posted on it
 * (a reversal takes its document's effect back).
 */
export function invoiceBalance(
  total: bigint,
  payments: readonly bigint[],
  earlier: readonly PostedCorrection[],
): Pick<InvoiceFacts, 'billed' | 'open'> {
  const byNumber = new Map(earlier.map((d) => [d.documentNumber, d]));
  let billed = total;
  let refunded = 0n;
  for (const doc of earlier) {
    const original = doc.kind === 'reversal' && doc.reverses ? byNumber.get(doc.reverses) : doc;
    if (!original || original.kind === 'reversal') continue;
    const effect = balanceEffect(original);
    const sign = doc === original ? 1n : -1n;
    billed += sign * effect.billed;
    refunded += sign * effect.refunded;
  }
  const paid = payments.reduce((sum, p) => sum + p, 0n);
  return { billed, open: billed - paid + refunded };
}

export interface DisputeFacts {
  id: string;
  customerId: string;
  invoiceId: string;
}

const invalid = (message: string): CorrectionError =>
  new CorrectionError('InvalidCorrection', message);

function parseMoney(dto: MoneyDto, field: string): Money {
  try {
    return fromMoneyDto(dto);
  } catch (error) {
    if (error instanceof MoneyError) throw invalid(`${field}: ${error.message}`);
    throw error;
  }
}

export function agreedAmount(request: CorrectionRequest, invoice: InvoiceFacts): Money {
  const amount = parseMoney(request.amount, 'amount');
  if (amount.minor <= 0n) throw invalid(`amount must be positive, got ${request.amount.amount}`);
  if (amount.currency !== invoice.currency) {
    throw invalid(
      `amount is in ${amount.currency} but invoice ${invoice.id} is in ${invoice.currency}`,
    );
  }
  return amount;
}

export function checkParties(
  request: CorrectionRequest,
  invoice: InvoiceFacts,
  dispute: DisputeFacts,
): void {
  if (invoice.customerId !== request.customerId || dispute.customerId !== request.customerId) {
    throw invalid(
      `invoice ${invoice.id} and dispute ${dispute.id} must both belong to ${request.customerId}`,
    );
  }
  if (dispute.invoiceId !== invoice.id)
    throw invalid(`dispute ${dispute.id} is about ${dispute.invoiceId}, not ${invoice.id}`);
  if (invoice.voided)
    throw invalid(
      `invoice ${invoice.id} was voided by a corrected invoice; correct that one instead`,
    );
}

/** A credit can take back at most what the invoice bills after earlier corrections. */
export function checkCreditable(
  request: CorrectionRequest,
  invoice: InvoiceFacts,
  amount: Money,
): void {
  if (amount.minor <= invoice.billed) return;
  const billed = formatAmount(money(invoice.billed, invoice.currency));
  throw invalid(
    `cannot credit ${request.amount.amount} on ${invoice.id}: only ${billed} is billed`,
  );
}

/**
 * What the guard weighs a correction against, read in the posting's transaction after the invoice
 * is locked: D and C in the invoice's minor units.
 */
export interface GuardFacts {
  /**
   * D: what is wrong on the invoice as billed, `already_corrected` left out — by the investigation
   * rules re-run now (basis `rules`) or by the findings a person submitted (basis `review`).
   */
  discrepancy: bigint;
  /** C: the signed sum of the corrections already posted for the invoice, reversals included. */
  corrected: bigint;
}

const BASIS_TEXT: Readonly<Record<CorrectionRequest['basis'], string>> = {
  rules: 'the investigation rules',
  review: 'the reviewed findings',
};

/**
 * The guard: a correction of effect X is posted only when D ≠ 0, it moves money the way D says,
 * and C + X lies between 0 and D inclusive — so an invoice's corrections, whatever disputes they
 * come from, never exceed its discrepancy. Returns X.
 */
export function checkGuard(
  request: CorrectionRequest,
  invoice: InvoiceFacts,
  amount: Money,
  guard: GuardFacts,
): bigint {
  const { discrepancy: d, corrected: c } = guard;
  const fmt = (minor: bigint): string => formatAmount(money(absMinor(minor), invoice.currency));
  const basis = BASIS_TEXT[request.basis];
  if (d === 0n)
    throw new CorrectionError(
      'UnjustifiedCorrection',
      `${basis} find nothing to correct on ${invoice.id}`,
    );
  const direction = d > 0n ? 'overcharge' : 'undercharge';
  if (!remediesFor(d).includes(request.kind))
    throw invalid(
      `${request.kind} does not correct an ${direction}: ${basis} find ${invoice.id} ${direction}d by ${fmt(d)}`,
    );
  const x = effectOf(request.kind, amount.minor, d);
  if (withinDiscrepancy(c + x, d)) return x;
  const left = d > 0n ? d - c : c - d;
  const verb = d > 0n ? 'credited' : 'billed';
  throw new CorrectionError(
    'UnjustifiedCorrection',
    `${request.kind} of ${request.amount.amount} ${invoice.currency} exceeds what is left to correct on ${invoice.id}: ` +
      `${basis} find it ${direction}d by ${fmt(d)} and corrections of ${fmt(c)} are already posted, ` +
      (left > 0n
        ? `so at most ${fmt(left)} can still be ${verb}`
        : `so nothing more can be ${verb}`),
  );
}

export function installmentCount(request: CorrectionRequest, amount: Money): number {
  const count = request.installments;
  if (count === null || !Number.isInteger(count) || count < 1 || count > MAX_INSTALLMENTS) {
    throw invalid(
      `a payment plan needs 1 to ${MAX_INSTALLMENTS} installments, got ${String(count)}`,
    );
  }
  if (amount.minor < BigInt(count))
    throw invalid(`${request.amount.amount} cannot be split into ${count} installments`);
  return count;
}

export function installmentsStart(request: CorrectionRequest, nowMs: number): number {
  if (!request.installmentsFrom) return nowMs;
  const ms = Date.parse(request.installmentsFrom);
  if (Number.isNaN(ms))
    throw invalid(`installmentsFrom "${request.installmentsFrom}" is not an ISO instant`);
  return ms;
}

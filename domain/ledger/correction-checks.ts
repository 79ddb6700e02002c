// What must hold before a correction is posted, and the facts about its invoice it is checked
// against. Every failure is a CorrectionError: retrying cannot fix it.
import { CorrectionError, type CorrectionRequest } from './correction';
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

/** How earlier corrections on an invoice change what it bills: credits reduce it, debits add. */
const BILLED_EFFECT: Readonly<Record<string, bigint>> = {
  credit_note: -1n,
  debit_note: 1n,
  payment_plan: 1n,
};

/** `billed` and `open` of an invoice from its payments and the corrections already posted on it. */
export function invoiceBalance(
  total: bigint,
  payments: readonly bigint[],
  earlier: readonly { kind: string; amount: bigint }[],
): Pick<InvoiceFacts, 'billed' | 'open'> {
  let billed = total;
  let refunded = 0n;
  for (const a of earlier) {
    billed += (BILLED_EFFECT[a.kind] ?? 0n) * a.amount;
    if (a.kind === 'refund') refunded += a.amount;
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

/** Above what the findings justify, a manager's approval must be on record. */
export function checkJustified(request: CorrectionRequest, amount: Money): void {
  if (request.approvedBy) return;
  const justified = request.justified ? parseMoney(request.justified, 'justified') : null;
  if (
    justified &&
    justified.currency === amount.currency &&
    amount.minor <= absMinor(justified.minor)
  )
    return;
  throw new CorrectionError(
    'UnjustifiedCorrection',
    `${request.amount.amount} ${amount.currency} exceeds what the findings justify (${request.justified?.amount ?? 'nothing'}) and no manager approval is recorded`,
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

// The ledger's invariants over a snapshot of the books and the documents behind them. Used by the
// tests after every step and by `npm run ledger:check` against a live database.
import type { CorrectionKind } from './correction';
import { receivableCustomer, type LedgerLine } from './accounts';
import {
  documentOfKey,
  invoiceDocument,
  paymentDocument,
  sameNetEffect,
  type BookedLine,
} from './documents';
import { invoiceLines, paymentLines } from './postings';

export interface SnapshotPosting {
  id: string;
  key: string;
  lines: readonly BookedLine[];
}

export interface SnapshotInvoice {
  id: string;
  customerId: string;
  currency: string;
  total: bigint;
  tax: bigint;
  /** Replaced by a corrected invoice; the correction's posting reversed it. */
  voided: boolean;
  /** Issued by a corrected_invoice adjustment and posted with it, not imported. */
  fromCorrection: boolean;
}

export interface SnapshotPayment {
  id: string;
  customerId: string;
  currency: string;
  amount: bigint;
}

export interface SnapshotAdjustment {
  documentNumber: string;
  disputeId: string;
  customerId: string;
  kind: CorrectionKind;
  currency: string;
  amount: bigint;
  approvedBy: string | null;
  /** |totalDelta| recorded when it was posted; null when the findings justified nothing. */
  justified: bigint | null;
}

export interface LedgerSnapshot {
  postings: readonly SnapshotPosting[];
  invoices: readonly SnapshotInvoice[];
  payments: readonly SnapshotPayment[];
  adjustments: readonly SnapshotAdjustment[];
}

export type InvariantRule =
  'unbalanced_posting' | 'document_not_posted' | 'receivable_mismatch' | 'unjustified_adjustment';

export interface Violation {
  rule: InvariantRule;
  subject: string;
  message: string;
}

/** A customer's receivable in one currency: as booked, and as its documents say it should be. */
export interface ReceivableCheck {
  customerId: string;
  currency: string;
  ledger: bigint;
  expected: bigint;
}

export interface LedgerReport {
  postings: number;
  entries: number;
  receivables: ReceivableCheck[];
  violations: Violation[];
}

function unbalanced(postings: readonly SnapshotPosting[]): Violation[] {
  const found: Violation[] = [];
  for (const posting of postings) {
    const perCurrency = new Map<string, bigint>();
    for (const line of posting.lines)
      perCurrency.set(line.currency, (perCurrency.get(line.currency) ?? 0n) + line.amount);
    const off = [...perCurrency].filter(([, sum]) => sum !== 0n);
    if (posting.lines.length === 0 || off.length > 0) {
      const detail = off.length ? off.map(([c, sum]) => `${sum} ${c}`).join(', ') : 'no entries';
      found.push({
        rule: 'unbalanced_posting',
        subject: posting.key,
        message: `posting ${posting.id} does not balance: ${detail}`,
      });
    }
  }
  return found;
}

/** Every imported invoice and payment is in the books with exactly its current amounts. */
function unposted(snapshot: LedgerSnapshot): Violation[] {
  const byDocument = new Map<string, BookedLine[]>();
  for (const posting of snapshot.postings) {
    const document = documentOfKey(posting.key);
    byDocument.set(document, [...(byDocument.get(document) ?? []), ...posting.lines]);
  }
  const check = (
    document: string,
    subject: string,
    customerId: string,
    currency: string,
    lines: LedgerLine[],
  ): Violation[] => {
    const wanted = lines.map((line) => ({ customerId, currency, ...line }));
    return sameNetEffect(byDocument.get(document) ?? [], wanted)
      ? []
      : [
          {
            rule: 'document_not_posted',
            subject,
            message: `${subject}: the ledger does not hold its current amounts`,
          },
        ];
  };
  return [
    ...snapshot.invoices
      // A voided invoice's effect is what its correction reversed; a corrected invoice is posted with it.
      .filter((invoice) => !invoice.fromCorrection && !invoice.voided)
      .flatMap((i) =>
        check(invoiceDocument(i.id), `invoice ${i.id}`, i.customerId, i.currency, invoiceLines(i)),
      ),
    ...snapshot.payments.flatMap((p) =>
      check(
        paymentDocument(p.id),
        `payment ${p.id}`,
        p.customerId,
        p.currency,
        paymentLines(p.customerId, p.amount),
      ),
    ),
  ];
}

/** How each kind of correction moves the customer's receivable, per unit of its amount. */
const RECEIVABLE_EFFECT: Readonly<Record<CorrectionKind, bigint>> = {
  credit_note: -1n,
  refund: 1n,
  debit_note: 1n,
  payment_plan: 1n,
  // The undercharge is billed (+1) and written off (−1) in the same posting.
  write_off: 0n,
  // Counted through the invoices: the original is voided, its replacement is an invoice.
  corrected_invoice: 0n,
};

/** receivable = invoices − payments − credits − write-offs + debits (+ refunds paid out of credits). */
export function receivables(snapshot: LedgerSnapshot): ReceivableCheck[] {
  const rows = new Map<string, ReceivableCheck>();
  const row = (customerId: string, currency: string): ReceivableCheck => {
    const key = JSON.stringify([customerId, currency]);
    let found = rows.get(key);
    if (!found) rows.set(key, (found = { customerId, currency, ledger: 0n, expected: 0n }));
    return found;
  };
  for (const posting of snapshot.postings) {
    for (const line of posting.lines) {
      const customerId = receivableCustomer(line.account);
      if (customerId !== null) row(customerId, line.currency).ledger += line.amount;
    }
  }
  for (const i of snapshot.invoices)
    if (!i.voided) row(i.customerId, i.currency).expected += i.total;
  for (const p of snapshot.payments) row(p.customerId, p.currency).expected -= p.amount;
  for (const a of snapshot.adjustments)
    row(a.customerId, a.currency).expected += RECEIVABLE_EFFECT[a.kind] * a.amount;
  return [...rows.values()].sort((a, b) =>
    a.customerId === b.customerId
      ? a.currency < b.currency
        ? -1
        : 1
      : a.customerId < b.customerId
        ? -1
        : 1,
  );
}

/** Per dispute: corrections (refunds settle credits, so they do not count) up to |totalDelta| unless approved. */
function unjustified(adjustments: readonly SnapshotAdjustment[]): Violation[] {
  const disputes = new Map<string, SnapshotAdjustment[]>();
  for (const a of adjustments)
    if (a.kind !== 'refund') disputes.set(a.disputeId, [...(disputes.get(a.disputeId) ?? []), a]);
  const found: Violation[] = [];
  for (const [disputeId, list] of disputes) {
    if (list.some((a) => a.approvedBy)) continue;
    const total = list.reduce((sum, a) => sum + a.amount, 0n);
    const justified = list.reduce(
      (max, a) => (a.justified !== null && a.justified > max ? a.justified : max),
      0n,
    );
    if (total > justified) {
      const numbers = list.map((a) => a.documentNumber).join(', ');
      found.push({
        rule: 'unjustified_adjustment',
        subject: `dispute ${disputeId}`,
        message: `${numbers} total ${total} minor units, findings justify ${justified}, no manager approval recorded`,
      });
    }
  }
  return found;
}

export function checkLedger(snapshot: LedgerSnapshot): LedgerReport {
  const receivableRows = receivables(snapshot);
  const mismatched: Violation[] = receivableRows
    .filter((r) => r.ledger !== r.expected)
    .map((r) => ({
      rule: 'receivable_mismatch',
      subject: `customer ${r.customerId}`,
      message: `receivable ${r.ledger} ${r.currency} in the ledger, ${r.expected} by the documents`,
    }));
  return {
    postings: snapshot.postings.length,
    entries: snapshot.postings.reduce((n, p) => n + p.lines.length, 0),
    receivables: receivableRows,
    violations: [
      ...unbalanced(snapshot.postings),
      ...unposted(snapshot),
      ...mismatched,
      ...unjustified(snapshot.adjustments),
    ],
  };
}

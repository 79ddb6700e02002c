// The ledger's invariants over a snapshot of the books and the documents behind them. Used by the
// tests after every step and by `npm run ledger:check` against a live database.
import type { CorrectionKind } from './correction';
import { receivableCustomer, reverseLines, type LedgerLine } from './accounts';
import {
  correctionEffects,
  CorrectionHistoryError,
  withinDiscrepancy,
  type PostedCorrection,
  type PostedKind,
} from './correction-effect';
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
  /** A corrected invoice's original: invoices linked this way are one family for the guard. */
  replaces: string | null;
}

export interface SnapshotPayment {
  id: string;
  customerId: string;
  currency: string;
  amount: bigint;
}

/** What the posting guard recorded on a document: D, C before it, and its own effect X. */
export interface GuardFigures {
  discrepancy: bigint;
  correctedBefore: bigint;
  effect: bigint;
}

export interface SnapshotAdjustment {
  documentNumber: string;
  /** Its posting's key (the adjustment's idempotency key). */
  key: string;
  disputeId: string;
  customerId: string;
  /** The invoice of its dispute. */
  invoiceId: string;
  kind: PostedKind;
  currency: string;
  amount: bigint;
  /** corrected_invoice: the voided and the replacement totals. */
  totals: { voided: bigint; replacement: bigint } | null;
  /** reversal: the document it reverses. */
  reverses: string | null;
  /** null on documents posted before the guard existed: counted, not checked. */
  guard: GuardFigures | null;
  /** Commit order among the documents of one invoice family (they post under its lock). */
  order: number;
}

export interface LedgerSnapshot {
  postings: readonly SnapshotPosting[];
  invoices: readonly SnapshotInvoice[];
  payments: readonly SnapshotPayment[];
  adjustments: readonly SnapshotAdjustment[];
}

export type InvariantRule =
  | 'unbalanced_posting'
  | 'document_not_posted'
  | 'receivable_mismatch'
  | 'reversal_mismatch'
  | 'correction_exceeds_discrepancy';

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

/** A reversal moves the receivable back by what its original moved it. */
function receivableEffect(a: SnapshotAdjustment, kinds: ReadonlyMap<string, PostedKind>): bigint {
  if (a.kind !== 'reversal') return RECEIVABLE_EFFECT[a.kind];
  const original = a.reverses ? kinds.get(a.reverses) : undefined;
  return original && original !== 'reversal' ? -RECEIVABLE_EFFECT[original] : 0n;
}

/** receivable = invoices − payments − credits − write-offs + debits (+ refunds paid out of credits). */
export function receivables(snapshot: LedgerSnapshot): ReceivableCheck[] {
  const kinds = new Map(snapshot.adjustments.map((a) => [a.documentNumber, a.kind]));
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
    row(a.customerId, a.currency).expected += receivableEffect(a, kinds) * a.amount;
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

/**
 * Every reversal mirrors exactly one correction of its own dispute, posted once: its posting is the
 * original's lines reversed, and no document is reversed twice or is itself a reversal's target.
 */
function badReversals(snapshot: LedgerSnapshot): Violation[] {
  const found: Violation[] = [];
  const byNumber = new Map(snapshot.adjustments.map((a) => [a.documentNumber, a]));
  const linesOf = new Map(snapshot.postings.map((p) => [p.key, p.lines]));
  const reversedBy = new Map<string, string>();
  const flag = (a: SnapshotAdjustment, message: string): void => {
    found.push({ rule: 'reversal_mismatch', subject: a.documentNumber, message });
  };
  for (const a of snapshot.adjustments) {
    if (a.kind !== 'reversal') continue;
    const original = a.reverses ? byNumber.get(a.reverses) : undefined;
    if (!original) {
      flag(a, `reverses ${a.reverses ?? 'nothing'}, which is not a posted document`);
      continue;
    }
    if (original.kind === 'reversal') flag(a, `reverses ${original.documentNumber}, a reversal`);
    if (original.disputeId !== a.disputeId)
      flag(a, `reverses ${original.documentNumber} of another dispute (${original.disputeId})`);
    const earlier = reversedBy.get(original.documentNumber);
    if (earlier) flag(a, `reverses ${original.documentNumber}, already reversed by ${earlier}`);
    reversedBy.set(original.documentNumber, a.documentNumber);
    const mirror = reverseLines(linesOf.get(original.key) ?? []).map((line) => ({
      ...line,
      customerId: original.customerId,
      currency: original.currency,
    }));
    const own = (linesOf.get(a.key) ?? []).map((line) => ({ ...line }));
    if (!sameNetEffect(own, mirror) || own.length === 0)
      flag(a, `its posting is not the exact reverse of ${original.documentNumber}'s`);
  }
  return found;
}

/** The family root of each invoice: corrected invoices point at the invoice they replaced. */
function roots(invoices: readonly SnapshotInvoice[]): (id: string) => string {
  const replaces = new Map(invoices.map((i) => [i.id, i.replaces]));
  return (id) => {
    let root = id;
    for (let links = 0; links < replaces.size; links += 1) {
      const up = replaces.get(root);
      if (!up) break;
      root = up;
    }
    return root;
  };
}

/**
 * The posting guard, re-checked: per invoice family in commit order, each guarded document
 * recorded the C that the documents before it add up to and its own effect, D ≠ 0, and C + X
 * stayed between 0 and D. Reversals are not bounded (they undo), but count in C.
 */
function beyondDiscrepancy(snapshot: LedgerSnapshot): Violation[] {
  const rootOf = roots(snapshot.invoices);
  const families = new Map<string, SnapshotAdjustment[]>();
  for (const a of snapshot.adjustments) {
    const root = rootOf(a.invoiceId);
    families.set(root, [...(families.get(root) ?? []), a]);
  }
  const found: Violation[] = [];
  for (const [root, list] of families) {
    const ordered = [...list].sort((a, b) => a.order - b.order);
    const docs: PostedCorrection[] = ordered.map((a) => ({
      documentNumber: a.documentNumber,
      kind: a.kind,
      amount: a.amount,
      totals: a.totals,
      reverses: a.reverses,
    }));
    let effects: bigint[];
    try {
      effects = correctionEffects(docs).map((e) => e.effect);
    } catch (error) {
      if (!(error instanceof CorrectionHistoryError)) throw error;
      found.push({
        rule: 'correction_exceeds_discrepancy',
        subject: `invoice ${root}`,
        message: error.message,
      });
      continue;
    }
    let corrected = 0n;
    ordered.forEach((a, i) => {
      const effect = effects[i]!;
      const g = a.guard;
      const problem = !g
        ? null
        : g.correctedBefore !== corrected
          ? `recorded C ${g.correctedBefore} but the documents before it add up to ${corrected}`
          : g.effect !== effect
            ? `recorded effect ${g.effect} but its kind and amount make ${effect}`
            : a.kind !== 'reversal' &&
                (g.discrepancy === 0n || !withinDiscrepancy(corrected + effect, g.discrepancy))
              ? `brings the corrections to ${corrected + effect} minor units, beyond the discrepancy ${g.discrepancy}`
              : null;
      if (problem)
        found.push({
          rule: 'correction_exceeds_discrepancy',
          subject: a.documentNumber,
          message: `${a.documentNumber} on invoice ${a.invoiceId}: ${problem}`,
        });
      corrected += effect;
    });
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
      ...badReversals(snapshot),
      ...beyondDiscrepancy(snapshot),
    ],
  };
}

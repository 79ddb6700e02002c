// Imported billing documents (invoices, payments) in the ledger. Each document is posted once;
// when a re-import changes it, its current effect is reversed and a new revision posted — entries
// are never edited. Keys: `invoice:<id>` for revision 1, `invoice:<id>#r2` …, reversals `…#reversal`.
import { imbalance, reverseLines, type LedgerLine, type PostingDraft } from './accounts';

/**
 * `%` and `#` in an id are percent-encoded, so `#` can never be mistaken for the revision
 * separator and distinct ids keep distinct keys. (Not encodeURIComponent: it throws on a lone
 * surrogate, and ids are whatever the billing system sends.)
 */
function escapeId(id: string): string {
  return id.replace(/[%#]/g, (c) => (c === '%' ? '%25' : '%23'));
}

export function invoiceDocument(invoiceId: string): string {
  return `invoice:${escapeId(invoiceId)}`;
}

export function paymentDocument(paymentId: string): string {
  return `payment:${escapeId(paymentId)}`;
}

export function revisionKey(document: string, revision: number): string {
  return revision === 1 ? document : `${document}#r${revision}`;
}

/** The document a posting key belongs to: everything before the first `#`. */
export function documentOfKey(key: string): string {
  const at = key.indexOf('#');
  return at < 0 ? key : key.slice(0, at);
}

/** A line as booked: entries carry their own customer and currency. */
export interface BookedLine {
  readonly customerId: string;
  readonly currency: string;
  readonly account: string;
  readonly amount: bigint;
}

export interface BookedPosting {
  readonly key: string;
  readonly lines: readonly BookedLine[];
}

/** A posting to write for a document, with its idempotency key. */
export interface KeyedPosting extends PostingDraft {
  readonly key: string;
}

const groupKey = (line: BookedLine): string =>
  JSON.stringify([line.customerId, line.currency, line.account]);

/** Net effect of booked lines per (customer, currency, account), zero balances left out. */
export function netEffect(lines: Iterable<BookedLine>): BookedLine[] {
  const totals = new Map<string, BookedLine>();
  for (const line of lines) {
    const key = groupKey(line);
    const seen = totals.get(key);
    totals.set(key, { ...line, amount: (seen?.amount ?? 0n) + line.amount });
  }
  return [...totals.entries()]
    .filter(([, line]) => line.amount !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, line]) => line);
}

function booked(draft: PostingDraft): BookedLine[] {
  return draft.lines.map((line) => ({
    customerId: draft.customerId,
    currency: draft.currency,
    ...line,
  }));
}

function sameLines(a: readonly BookedLine[], b: readonly BookedLine[]): boolean {
  return (
    a.length === b.length &&
    a.every((line, i) => groupKey(line) === groupKey(b[i]!) && line.amount === b[i]!.amount)
  );
}

/** True when both sets of lines move every (customer, currency, account) by the same net amount. */
export function sameNetEffect(a: Iterable<BookedLine>, b: Iterable<BookedLine>): boolean {
  return sameLines(netEffect(a), netEffect(b));
}

/** Reversal postings of a net effect, one per customer and currency (each balances on its own). */
function reversals(
  effect: readonly BookedLine[],
  key: string,
  description: string,
): KeyedPosting[] {
  const groups = new Map<string, BookedLine[]>();
  for (const line of effect) {
    const group = JSON.stringify([line.customerId, line.currency]);
    groups.set(group, [...(groups.get(group) ?? []), line]);
  }
  return [...groups.values()].map((lines, index) => {
    const reversed: LedgerLine[] = reverseLines(lines);
    if (imbalance(reversed) !== 0n) throw new Error(`document ${key} has an unbalanced effect`);
    return {
      key: index === 0 ? key : `${key}${index + 1}`,
      customerId: lines[0]!.customerId,
      currency: lines[0]!.currency,
      description,
      lines: reversed,
    };
  });
}

/**
 * What to post so that `document`'s postings add up to `wanted` (null: the document should have no
 * effect). Nothing when they already do; otherwise a reversal of the current effect (if any) and
 * the next revision.
 */
export function reviseDocument(
  document: string,
  existing: readonly BookedPosting[],
  wanted: PostingDraft | null,
): KeyedPosting[] {
  const current = netEffect(existing.flatMap((p) => p.lines));
  const target = wanted ? netEffect(booked(wanted)) : [];
  if (sameLines(current, target)) return [];
  const revision = existing.filter((p) => !p.key.includes('#reversal')).length;
  const undo = current.length
    ? reversals(
        current,
        `${revisionKey(document, Math.max(revision, 1))}#reversal`,
        `Reversal: ${document} changed`,
      )
    : [];
  return wanted ? [...undo, { ...wanted, key: revisionKey(document, revision + 1) }] : undo;
}

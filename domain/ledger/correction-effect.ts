// How much each correction already posted on an invoice corrects it, signed like a finding's
// delta: positive takes an overcharge back (in the customer's favour), negative bills an
// undercharge. The investigation's `already_corrected` finding is −Σ of these, and the posting guard
// adds the next correction's effect to the same sum.
//
// One deliberate departure from sample-data/README.md, which counts write-offs positive: Settle
// writes off only undercharges (the posting recognises the revenue and writes the receivable off),
// so a write-off settles an undercharge exactly like a debit note and counts negative. Counted
// positive, an undercharge already written off would show up doubled and could be written off or
// debited again, breaking the README's own rule that the same error is never corrected twice.
import type { CorrectionKind } from './correction';

/** Kind of an adjustment row: a correction's document, or the reversal of one. */
export type PostedKind = CorrectionKind | 'reversal';

export interface PostedCorrection {
  documentNumber: string;
  kind: PostedKind;
  /** Tax included, positive, in the invoice's currency. */
  amount: bigint;
  /** corrected_invoice: the total of the invoice it voided and of its replacement. */
  totals?: { voided: bigint; replacement: bigint } | null;
  /** reversal: the document it reverses. */
  reverses?: string | null;
}

export class CorrectionHistoryError extends Error {
  override readonly name = 'CorrectionHistoryError';
}

function ownEffect(doc: PostedCorrection): bigint {
  switch (doc.kind) {
    case 'credit_note':
      return doc.amount;
    // Pays out money its credit note already took off the invoice.
    case 'refund':
      return 0n;
    case 'debit_note':
    case 'payment_plan':
    case 'write_off':
      return -doc.amount;
    case 'corrected_invoice':
      if (!doc.totals)
        throw new CorrectionHistoryError(`${doc.documentNumber} does not record its totals`);
      return doc.totals.voided - doc.totals.replacement;
    case 'reversal':
      throw new CorrectionHistoryError(`${doc.documentNumber} is a reversal`);
  }
}

/** Each document's effect, in the order given; a reversal cancels the document it reverses. */
export function correctionEffects(
  docs: readonly PostedCorrection[],
): { doc: PostedCorrection; effect: bigint }[] {
  const byNumber = new Map(docs.map((d) => [d.documentNumber, d]));
  return docs.map((doc) => {
    if (doc.kind !== 'reversal') return { doc, effect: ownEffect(doc) };
    const original = doc.reverses ? byNumber.get(doc.reverses) : undefined;
    if (!original || original.kind === 'reversal')
      throw new CorrectionHistoryError(
        `${doc.documentNumber} reverses ${doc.reverses ?? 'nothing'}, which is not a correction of this invoice`,
      );
    return { doc, effect: -ownEffect(original) };
  });
}

/** C: the signed sum of the corrections already posted (reversals included). */
export function correctedSoFar(docs: readonly PostedCorrection[]): bigint {
  return correctionEffects(docs).reduce((sum, { effect }) => sum + effect, 0n);
}

/** The effect a new correction of `kind` and `amount` has, given the sign of the discrepancy. */
export function effectOf(kind: CorrectionKind, amount: bigint, discrepancy: bigint): bigint {
  switch (kind) {
    case 'credit_note':
    case 'refund':
      return amount;
    case 'debit_note':
    case 'payment_plan':
    case 'write_off':
      return -amount;
    // Lowers the total for an overcharge, raises it for an undercharge.
    case 'corrected_invoice':
      return discrepancy < 0n ? -amount : amount;
  }
}

/** True when `value` lies between 0 and `bound` inclusive, whichever sign `bound` has. */
export function withinDiscrepancy(value: bigint, bound: bigint): boolean {
  return bound >= 0n ? value >= 0n && value <= bound : value <= 0n && value >= bound;
}

/** Remedies that move money the way a discrepancy of this sign needs. */
export const OVERCHARGE_REMEDIES: readonly CorrectionKind[] = [
  'credit_note',
  'refund',
  'corrected_invoice',
];
export const UNDERCHARGE_REMEDIES: readonly CorrectionKind[] = [
  'debit_note',
  'write_off',
  'payment_plan',
  'corrected_invoice',
];

export function remediesFor(discrepancy: bigint): readonly CorrectionKind[] {
  return discrepancy > 0n ? OVERCHARGE_REMEDIES : discrepancy < 0n ? UNDERCHARGE_REMEDIES : [];
}

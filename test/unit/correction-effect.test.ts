// The sign convention that both the investigation (`already_corrected`) and the posting guard use.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  correctedSoFar,
  correctionEffects,
  CorrectionHistoryError,
  effectOf,
  remediesFor,
  withinDiscrepancy,
  type PostedCorrection,
} from '../../domain/ledger/correction-effect';
import { CORRECTION_KINDS } from '../../domain/ledger/correction';

const doc = (
  documentNumber: string,
  kind: PostedCorrection['kind'],
  amount: bigint,
  extra: Partial<PostedCorrection> = {},
): PostedCorrection => ({ documentNumber, kind, amount, ...extra });

describe('correction effects', () => {
  it('credits count positive, debits, plans and write-offs negative, refunds nothing', () => {
    expect(
      correctionEffects([
        doc('CN-1', 'credit_note', 100n),
        doc('RF-1', 'refund', 100n),
        doc('DN-1', 'debit_note', 30n),
        doc('PP-1', 'payment_plan', 40n),
        doc('WO-1', 'write_off', 5n),
      ]).map((e) => e.effect),
    ).toEqual([100n, 0n, -30n, -40n, -5n]);
  });

  it('a write-off of an undercharge counts like a debit note, so it is never corrected twice', () => {
    // The README's sentence would count it +5: the undercharge of 5 would then read as 10.
    const undercharge = -5n;
    const corrected = correctedSoFar([doc('WO-1', 'write_off', 5n)]);
    expect(undercharge - corrected).toBe(0n);
  });

  it('a corrected invoice counts the voided total minus the new total, either way', () => {
    const lowered = doc('CI-1', 'corrected_invoice', 50n, {
      totals: { voided: 1000n, replacement: 950n },
    });
    const raised = doc('CI-2', 'corrected_invoice', 50n, {
      totals: { voided: 950n, replacement: 1000n },
    });
    expect(correctionEffects([lowered, raised]).map((e) => e.effect)).toEqual([50n, -50n]);
    expect(() => correctedSoFar([doc('CI-3', 'corrected_invoice', 1n)])).toThrow(
      CorrectionHistoryError,
    );
  });

  it('a reversal cancels the document it reverses, and only a correction can be reversed', () => {
    const docs = [
      doc('CN-1', 'credit_note', 100n),
      doc('RF-1', 'refund', 100n),
      doc('RV-1', 'reversal', 100n, { reverses: 'RF-1' }),
      doc('RV-2', 'reversal', 100n, { reverses: 'CN-1' }),
      doc('DN-1', 'debit_note', 7n),
    ];
    expect(correctionEffects(docs).map((e) => e.effect)).toEqual([100n, 0n, -0n, -100n, -7n]);
    expect(correctedSoFar(docs)).toBe(-7n);
    expect(() => correctedSoFar([doc('RV-3', 'reversal', 1n, { reverses: 'CN-9' })])).toThrow(
      /not a correction of this invoice/,
    );
    expect(() =>
      correctedSoFar([
        doc('CN-1', 'credit_note', 1n),
        doc('RV-1', 'reversal', 1n, { reverses: 'CN-1' }),
        doc('RV-2', 'reversal', 1n, { reverses: 'RV-1' }),
      ]),
    ).toThrow(CorrectionHistoryError);
  });

  it('a new correction’s effect follows its kind; a corrected invoice follows the discrepancy', () => {
    expect(effectOf('credit_note', 10n, 50n)).toBe(10n);
    expect(effectOf('refund', 10n, 50n)).toBe(10n);
    expect(effectOf('debit_note', 10n, -50n)).toBe(-10n);
    expect(effectOf('payment_plan', 10n, -50n)).toBe(-10n);
    expect(effectOf('write_off', 10n, -50n)).toBe(-10n);
    expect(effectOf('corrected_invoice', 10n, 50n)).toBe(10n);
    expect(effectOf('corrected_invoice', 10n, -50n)).toBe(-10n);
  });

  it('remedies per direction; none when there is nothing to correct', () => {
    expect(remediesFor(1n)).toEqual(['credit_note', 'refund', 'corrected_invoice']);
    expect(remediesFor(-1n)).toEqual([
      'debit_note',
      'write_off',
      'payment_plan',
      'corrected_invoice',
    ]);
    expect(remediesFor(0n)).toEqual([]);
  });

  it('within the discrepancy: between 0 and D inclusive, for either sign of D', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -1000n, max: 1000n }),
        fc.bigInt({ min: -1000n, max: 1000n }),
        (v, d) => {
          const lo = d < 0n ? d : 0n;
          const hi = d < 0n ? 0n : d;
          expect(withinDiscrepancy(v, d)).toBe(v >= lo && v <= hi);
        },
      ),
    );
  });

  it('any remedy allowed for D moves C toward D', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -10_000n, max: 10_000n }).filter((d) => d !== 0n),
        fc.bigInt({ min: 1n, max: 10_000n }),
        fc.constantFrom(...CORRECTION_KINDS),
        (d, amount, kind) => {
          if (!remediesFor(d).includes(kind)) return;
          const x = effectOf(kind, amount, d);
          expect(x > 0n).toBe(d > 0n);
        },
      ),
    );
  });
});

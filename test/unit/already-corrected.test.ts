// sample-data/README.md, "After adjustments already posted": the investigation compares with the
// invoice as corrected, on the sample invoices.
import { describe, expect, it } from 'vitest';
import { bundleSchema, bundleToRecords } from '../../domain/bundle';
import {
  discrepancyOf,
  investigateInvoice,
  investigationInputFor,
  InvestigationInputError,
  type InvestigationResult,
} from '../../domain/investigation';
import type { PostedCorrection } from '../../domain/ledger/correction-effect';
import { sampleBundle } from '../support/sample-data';

const records = bundleToRecords(bundleSchema.parse(sampleBundle()));

function investigate(
  invoiceId: string,
  corrections: PostedCorrection[],
  reason: string | null = null,
): InvestigationResult {
  return investigateInvoice({ ...investigationInputFor(records, invoiceId, reason), corrections });
}

const corrected = (
  result: InvestigationResult,
): InvestigationResult['findings'][number] | undefined =>
  result.findings.find((f) => f.rule === 'already_corrected');

describe('already_corrected', () => {
  it('is omitted when nothing was corrected, so expected.json still holds', () => {
    const result = investigate('INV-2001', []);
    expect(corrected(result)).toBeUndefined();
    expect(result.totalDelta.minor).toBe(306619n);
  });

  it('a credit for the whole overcharge: −C, naming the document; no discrepancy is left', () => {
    const result = investigate('INV-2001', [
      { documentNumber: 'CN-000012', kind: 'credit_note', amount: 306619n },
    ]);
    expect(corrected(result)).toMatchObject({
      invoiceId: 'INV-2001',
      lineId: null,
      expected: null,
      actual: 'CN-000012',
      delta: { minor: -306619n, currency: 'USD' },
    });
    expect(corrected(result)!.explanation).toBe(
      "Invoice INV-2001 already carries 3066.19 of corrections in the customer's favour: " +
        'already credited by CN-000012.',
    );
    expect(result.totalDelta.minor).toBe(0n);
    expect(result.verdict).toBe('no_discrepancy');
    // What the rules find wrong is unchanged: the guard's D.
    expect(discrepancyOf(result.findings)).toBe(306619n);
  });

  it('no_discrepancy even for a reason a person would otherwise review', () => {
    const result = investigate(
      'INV-2001',
      [{ documentNumber: 'CN-000012', kind: 'credit_note', amount: 306619n }],
      'other',
    );
    expect(result.verdict).toBe('no_discrepancy');
  });

  it('a part credited leaves the rest overcharged; a refund adds nothing of its own', () => {
    const result = investigate('INV-2001', [
      { documentNumber: 'CN-000001', kind: 'credit_note', amount: 100000n },
      { documentNumber: 'RF-000001', kind: 'refund', amount: 100000n },
      {
        documentNumber: 'CI-000002',
        kind: 'corrected_invoice',
        amount: 6619n,
        totals: { voided: 1000000n, replacement: 993381n },
      },
    ]);
    expect(corrected(result)?.delta.minor).toBe(-106619n);
    expect(corrected(result)?.actual).toBe('CN-000001, CI-000002');
    expect(corrected(result)?.explanation).toContain(
      'already credited by CN-000001; already corrected by CI-000002',
    );
    expect(result.totalDelta.minor).toBe(200000n);
    expect(result.verdict).toBe('overcharged');
  });

  it('an undercharge written off or debited counts negative: nothing is left to bill', () => {
    const writtenOff = investigate('INV-1002', [
      { documentNumber: 'WO-000001', kind: 'write_off', amount: 1948n },
    ]);
    expect(corrected(writtenOff)?.delta.minor).toBe(1948n);
    expect(corrected(writtenOff)?.explanation).toBe(
      'Invoice INV-1002 already carries 19.48 of corrections billed to the customer: ' +
        'already written off by WO-000001.',
    );
    expect(writtenOff.totalDelta.minor).toBe(0n);
    expect(writtenOff.verdict).toBe('no_discrepancy');
    const debited = investigate('INV-4001', [
      { documentNumber: 'DN-000004', kind: 'debit_note', amount: 100000n },
      { documentNumber: 'PP-000001', kind: 'payment_plan', amount: 87620n },
    ]);
    expect(debited.totalDelta.minor).toBe(0n);
    expect(corrected(debited)?.explanation).toContain(
      'already debited by DN-000004; already billed in installments by PP-000001',
    );
  });

  it('a reversed correction is named and counts nothing', () => {
    const result = investigate('INV-2001', [
      { documentNumber: 'CN-000001', kind: 'credit_note', amount: 100000n },
      { documentNumber: 'CN-000002', kind: 'credit_note', amount: 5000n },
      { documentNumber: 'RV-000001', kind: 'reversal', amount: 100000n, reverses: 'CN-000001' },
    ]);
    expect(corrected(result)?.delta.minor).toBe(-5000n);
    expect(corrected(result)?.actual).toBe('CN-000002');
    expect(corrected(result)?.explanation).toContain(
      'already credited by CN-000002; CN-000001 was reversed by RV-000001',
    );
    const undone = investigate('INV-2001', [
      { documentNumber: 'CN-000001', kind: 'credit_note', amount: 100000n },
      { documentNumber: 'RV-000001', kind: 'reversal', amount: 100000n, reverses: 'CN-000001' },
    ]);
    expect(corrected(undone)).toBeUndefined();
    expect(undone.verdict).toBe('overcharged');
  });

  it('a correction history that does not add up is bad data, not a crash', () => {
    expect(() =>
      investigate('INV-2001', [
        { documentNumber: 'RV-000001', kind: 'reversal', amount: 1n, reverses: 'CN-000009' },
      ]),
    ).toThrow(InvestigationInputError);
  });

  it('a credit on an invoice that had no error reads as an undercharge left to bill', () => {
    const result = investigate('INV-1001', [
      { documentNumber: 'CN-000003', kind: 'credit_note', amount: 5000n },
    ]);
    expect(result.totalDelta.minor).toBe(-5000n);
    expect(result.verdict).toBe('undercharged');
  });
});

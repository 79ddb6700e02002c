import { describe, expect, it } from 'vitest';
import { bundleSchema, bundleToRecords } from '../../domain/bundle';
import {
  investigateInvoice,
  investigationInputFor,
  toInvestigationResultDto,
} from '../../domain/investigation';
import { sampleBundle, sampleExpected } from '../support/sample-data';

const records = bundleToRecords(bundleSchema.parse(sampleBundle()));

describe('sample-data/expected.json', () => {
  it('covers every invoice of bundle.json', () => {
    expect(Object.keys(sampleExpected).sort()).toEqual(records.invoices.map((i) => i.id).sort());
  });

  it.each(Object.entries(sampleExpected))('%s', (invoiceId, expected) => {
    const result = toInvestigationResultDto(
      investigateInvoice(investigationInputFor(records, invoiceId)),
    );
    expect({
      findings: result.findings.map((f) => ({
        rule: f.rule,
        lineId: f.lineId,
        delta: f.delta.amount,
        expected: f.expected,
        actual: f.actual,
      })),
      totalDelta: result.totalDelta.amount,
      verdict: result.verdict,
    }).toEqual(expected);
    for (const finding of result.findings) {
      expect(finding.invoiceId).toBe(invoiceId);
      expect(finding.delta.currency).toBe(result.totalDelta.currency);
      expect(finding.explanation).toMatch(/^[A-Z].*\.$/);
    }
  });
});

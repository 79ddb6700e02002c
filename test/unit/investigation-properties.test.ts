import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fromInvestigationResultDto,
  investigateInvoice,
  toInvestigationResultDto,
  type ContractDiscount,
} from '../../domain/investigation';
import {
  formatMinor,
  poLineId,
  scenario,
  type LineSpec,
  type ScenarioSpec,
} from './investigation-fixture';

const SKUS = ['A', 'B', 'C'];
const CURRENCY = fc.constantFrom('USD', 'JPY', 'KWD');
const TAX_RATE = fc.constantFrom('0', '0.05', '0.0825', '0.2', '0.175');
const PERCENT = fc.constantFrom('0', '3', '5', '7.5', '12.25');
const DATE = fc.constantFrom('2025-12-31', '2026-03-05', '2026-07-01', '2026-09-30', '2027-01-01');

const discount: fc.Arbitrary<ContractDiscount> = fc.oneof(
  fc.record({
    id: fc.constant('VOL'),
    kind: fc.constant('volume' as const),
    sku: fc.constantFrom('*', ...SKUS),
    percent: PERCENT,
    minQuantity: fc.integer({ min: 0, max: 20 }),
  }),
  fc.record({
    id: fc.constant('PROMO'),
    kind: fc.constant('promotion' as const),
    sku: fc.constantFrom('*', ...SKUS),
    percent: PERCENT,
    from: fc.constant('2026-07-01'),
    to: fc.constant('2026-09-30'),
  }),
  fc.record({
    id: fc.constant('RETRO'),
    kind: fc.constant('retroactive' as const),
    sku: fc.constantFrom('*', ...SKUS),
    percent: PERCENT,
    minQuantity: fc.integer({ min: 0, max: 60 }),
  }),
);

function amount(currency: string, max = 1_000_000n): fc.Arbitrary<string> {
  return fc.bigInt({ min: 0n, max }).map((minor) => formatMinor(minor, currency));
}

function line(currency: string): fc.Arbitrary<LineSpec> {
  return fc.record(
    {
      sku: fc.constantFrom(...SKUS, 'D'),
      quantity: fc.integer({ min: 0, max: 30 }),
      unitPrice: amount(currency),
      discountPercent: PERCENT,
      lineTotal: amount(currency, 30_000_000n),
    },
    { requiredKeys: ['sku', 'quantity', 'unitPrice', 'discountPercent'] },
  );
}

/** Messy scenarios: wrong prices, totals, quantities, discounts, duplicates and earlier invoices. */
const messy: fc.Arbitrary<ScenarioSpec> = CURRENCY.chain((currency) =>
  fc.record({
    currency: fc.constant(currency),
    taxRate: TAX_RATE,
    prices: fc.dictionary(fc.constantFrom(...SKUS), amount(currency), { minKeys: 1 }),
    discounts: fc.array(discount, { maxLength: 3 }),
    ordered: fc.dictionary(fc.constantFrom(...SKUS, 'D'), fc.integer({ min: 0, max: 30 }), {
      minKeys: 1,
    }),
    deliveries: fc.array(
      fc.dictionary(fc.constantFrom(...SKUS.map(poLineId)), fc.integer({ min: 0, max: 20 })),
      { maxLength: 3 },
    ),
    invoice: fc.record(
      {
        issuedAt: DATE,
        lines: fc.array(line(currency), { minLength: 1, maxLength: 8 }),
        tax: amount(currency),
        subtotal: amount(currency),
      },
      { requiredKeys: ['issuedAt', 'lines'] },
    ),
    otherInvoices: fc.array(
      fc.record({
        issuedAt: DATE,
        lines: fc.array(line(currency), { minLength: 1, maxLength: 4 }),
      }),
      { maxLength: 4 },
    ),
    reason: fc.constantFrom('pricing_error', 'other', 'service_not_rendered'),
  }),
);

describe('investigateInvoice properties', () => {
  it('findings always add up to totalDelta, in the invoice currency', () => {
    fc.assert(
      fc.property(messy, (spec) => {
        const result = investigateInvoice(scenario(spec));
        let sum = 0n;
        for (const finding of result.findings) {
          expect(finding.delta.currency).toBe(spec.currency);
          sum += finding.delta.minor;
        }
        expect(result.totalDelta).toEqual({ minor: sum, currency: spec.currency });
      }),
      { numRuns: 300 },
    );
  });

  it('gives the verdict the sign of totalDelta, and needs review only at zero', () => {
    fc.assert(
      fc.property(messy, (spec) => {
        const { totalDelta, findings, verdict } = investigateInvoice(scenario(spec));
        if (totalDelta.minor > 0n) expect(verdict).toBe('overcharged');
        else if (totalDelta.minor < 0n) expect(verdict).toBe('undercharged');
        else if (findings.length > 0 || spec.reason !== 'pricing_error') {
          expect(verdict).toBe('needs_review');
        } else expect(verdict).toBe('no_discrepancy');
      }),
      { numRuns: 200 },
    );
  });

  it('omits zero deltas except for findings that carry no money', () => {
    fc.assert(
      fc.property(messy, (spec) => {
        for (const finding of investigateInvoice(scenario(spec)).findings) {
          // Unbilled follows `u > 0`, so a free or fully discounted item still shows, at 0.
          if (finding.delta.minor === 0n) {
            expect(['billing_details', 'pricing', 'unbilled']).toContain(finding.rule);
            if (finding.rule === 'pricing') expect(finding.expected).toBeNull();
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('survives the JSON DTO round trip', () => {
    fc.assert(
      fc.property(messy, (spec) => {
        const result = investigateInvoice(scenario(spec));
        const dto = JSON.parse(JSON.stringify(toInvestigationResultDto(result))) as ReturnType<
          typeof toInvestigationResultDto
        >;
        expect(fromInvestigationResultDto(dto)).toEqual(result);
      }),
      { numRuns: 100 },
    );
  });

  const correct = CURRENCY.chain((currency) =>
    fc.record({
      currency: fc.constant(currency),
      taxRate: TAX_RATE,
      prices: fc.record({ A: amount(currency), B: amount(currency), C: amount(currency) }),
      quantities: fc.record({
        A: fc.integer({ min: 0, max: 50 }),
        B: fc.integer({ min: 0, max: 50 }),
        C: fc.integer({ min: 0, max: 50 }),
      }),
      lineToBreak: fc.integer({ min: 0, max: 2 }),
      error: fc.bigInt({ min: -1000n, max: 1000n }).filter((e) => e !== 0n),
    }),
  );

  it('finds nothing on a correct invoice, and exactly a broken line total', () => {
    fc.assert(
      fc.property(correct, ({ currency, taxRate, prices, quantities, lineToBreak, error }) => {
        const lines = SKUS.map((sku) => ({
          sku,
          quantity: quantities[sku as 'A'],
          unitPrice: prices[sku as 'A'],
        }));
        const spec: ScenarioSpec = {
          currency,
          taxRate,
          prices,
          ordered: quantities,
          invoice: { lines },
        };
        expect(investigateInvoice(scenario(spec)).verdict).toBe('no_discrepancy');

        const input = scenario(spec);
        const broken = input.invoice.lines.map((l, n) =>
          n === lineToBreak
            ? { ...l, lineTotal: { ...l.lineTotal, minor: l.lineTotal.minor + error } }
            : l,
        );
        const subtotal = { ...input.invoice.subtotal, minor: input.invoice.subtotal.minor + error };
        const total = { ...input.invoice.total, minor: input.invoice.total.minor + error };
        const result = investigateInvoice({
          ...input,
          invoice: { ...input.invoice, lines: broken, subtotal, total },
        });
        expect(result.findings.map((f) => [f.rule, f.lineId, f.delta.minor])).toEqual([
          ['arithmetic', `INV-1-${lineToBreak + 1}`, error],
        ]);
      }),
      { numRuns: 200 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  InvestigationInputError,
  investigateInvoice,
  type ContractDiscount,
  type InvestigationResult,
} from '../../domain/investigation';
import { formatAmount } from '../../domain/money';
import { ADDRESS, poLineId, scenario, type ScenarioSpec } from './investigation-fixture';

function run(spec: ScenarioSpec): InvestigationResult {
  return investigateInvoice(scenario(spec));
}

function brief(spec: ScenarioSpec): { findings: string[]; totalDelta: string; verdict: string } {
  const result = run(spec);
  return {
    findings: result.findings.map(
      (f) => `${f.rule} ${f.lineId ?? '-'} ${f.expected} ${f.actual} ${formatAmount(f.delta)}`,
    ),
    totalDelta: formatAmount(result.totalDelta),
    verdict: result.verdict,
  };
}

const promotion: ContractDiscount = {
  id: 'PROMO',
  kind: 'promotion',
  sku: '*',
  percent: '3',
  from: '2026-07-01',
  to: '2026-09-30',
};
const volume: ContractDiscount = {
  id: 'VOL',
  kind: 'volume',
  sku: 'A',
  percent: '5',
  minQuantity: 10,
};

describe('a correct invoice', () => {
  it('has no findings', () => {
    expect(brief({ invoice: { lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }] } })).toEqual(
      { findings: [], totalDelta: '0.00', verdict: 'no_discrepancy' },
    );
  });
});

describe('arithmetic', () => {
  it('compares the line total with quantity × price less the billed discount', () => {
    const result = brief({
      ordered: { A: 3 },
      invoice: {
        lines: [{ sku: 'A', quantity: 3, unitPrice: '10.00', lineTotal: '31.00' }],
        subtotal: '31.00',
        tax: '3.10',
        total: '34.10',
      },
    });
    // Tax is owed on what should have been billed, so the tax on the extra 1.00 is a finding too.
    expect(result.findings).toEqual([
      'arithmetic INV-1-1 30.00 31.00 1.00',
      'tax - 3.00 3.10 0.10',
    ]);
    expect(result.totalDelta).toBe('1.10');
    expect(result.verdict).toBe('overcharged');
  });

  it('checks the subtotal against the billed line totals and the total against subtotal + tax', () => {
    const result = brief({
      invoice: {
        lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }],
        subtotal: '99.00',
        tax: '10.00',
        total: '110.50',
      },
    });
    expect(result.findings).toEqual([
      'arithmetic - 100.00 99.00 -1.00',
      'arithmetic - 109.00 110.50 1.50',
    ]);
    expect(result.totalDelta).toBe('0.50');
  });

  it('rounds JPY half away from zero: 1 × 15 less 10 % is 13.5 → 14', () => {
    const result = brief({
      currency: 'JPY',
      taxRate: '0',
      prices: { A: '15' },
      ordered: { A: 1 },
      invoice: {
        lines: [{ sku: 'A', quantity: 1, unitPrice: '15', discountPercent: '10', lineTotal: '13' }],
        subtotal: '13',
        tax: '0',
        total: '13',
      },
      discounts: [{ id: 'D', kind: 'volume', sku: 'A', percent: '10', minQuantity: 1 }],
    });
    expect(result.findings).toEqual(['arithmetic INV-1-1 14 13 -1']);
  });

  it('rounds a negative half away from zero: 1 × −15 JPY less 10 % is −13.5 → −14', () => {
    const result = brief({
      currency: 'JPY',
      taxRate: '0',
      prices: { A: '-15' },
      ordered: { A: 1 },
      discounts: [{ id: 'D', kind: 'volume', sku: 'A', percent: '10', minQuantity: 1 }],
      invoice: {
        lines: [
          { sku: 'A', quantity: 1, unitPrice: '-15', discountPercent: '10', lineTotal: '-13' },
        ],
        subtotal: '-13',
        tax: '0',
        total: '-13',
      },
    });
    expect(result.findings).toEqual(['arithmetic INV-1-1 -14 -13 1']);
  });

  it('works in KWD with three decimals', () => {
    // 3 × 1.255 less 7.5 % = 3.482625 → 3.483; tax 5 % of 3.483 = 0.17415 → 0.174.
    const spec: ScenarioSpec = {
      currency: 'KWD',
      taxRate: '0.05',
      prices: { A: '1.255' },
      ordered: { A: 3 },
      discounts: [{ id: 'D', kind: 'volume', sku: 'A', percent: '7.5', minQuantity: 1 }],
      invoice: {
        lines: [{ sku: 'A', quantity: 3, unitPrice: '1.255', discountPercent: '7.5' }],
        tax: '0.175',
      },
    };
    const input = scenario(spec);
    expect(formatAmount(input.invoice.lines[0]!.lineTotal)).toBe('3.483');
    expect(brief(spec).findings).toEqual(['tax - 0.174 0.175 0.001']);
  });
});

describe('quantity and double billing', () => {
  it('bills no more than was delivered, across partial deliveries', () => {
    const result = brief({
      ordered: { A: 10 },
      deliveries: [{ [poLineId('A')]: 4 }, { [poLineId('A')]: 2 }],
      invoice: { lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }] },
    });
    expect(result.findings).toEqual(['quantity INV-1-1 6 10 40.00', 'tax - 6.00 10.00 4.00']);
    expect(result.totalDelta).toBe('44.00');
  });

  it('flags a PO line billed on an earlier invoice as double billing', () => {
    const result = brief({
      invoice: { issuedAt: '2026-04-01', lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }] },
      otherInvoices: [
        { issuedAt: '2026-03-01', lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }] },
      ],
    });
    expect(result.findings).toEqual([
      'double_billing INV-1-1 0 10 100.00',
      'tax - 0.00 10.00 10.00',
    ]);
  });

  it('does not flag the earlier of two invoices', () => {
    const result = brief({
      invoice: { issuedAt: '2026-03-01', lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }] },
      otherInvoices: [
        { issuedAt: '2026-04-01', lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }] },
      ],
    });
    expect(result.findings).toEqual([]);
  });

  it('orders invoices of the same day by id', () => {
    const line = { sku: 'A', quantity: 10, unitPrice: '10.00' };
    const later = brief({
      invoice: { id: 'INV-B', lines: [line] },
      otherInvoices: [{ id: 'INV-A', lines: [line] }],
    });
    const earlier = brief({
      invoice: { id: 'INV-A', lines: [line] },
      otherInvoices: [{ id: 'INV-B', lines: [line] }],
    });
    expect(later.findings[0]).toBe('double_billing INV-B-1 0 10 100.00');
    expect(earlier.findings).toEqual([]);
  });

  it('flags a duplicate line within one invoice', () => {
    const line = { sku: 'A', quantity: 10, unitPrice: '10.00' };
    const result = brief({ invoice: { lines: [line, line] } });
    expect(result.findings).toEqual([
      'double_billing INV-1-2 0 10 100.00',
      'tax - 10.00 20.00 10.00',
    ]);
  });

  it('counts only the remainder when a PO line was partly billed before', () => {
    const result = brief({
      invoice: { issuedAt: '2026-04-01', lines: [{ sku: 'A', quantity: 8, unitPrice: '10.00' }] },
      otherInvoices: [
        { issuedAt: '2026-03-01', lines: [{ sku: 'A', quantity: 5, unitPrice: '10.00' }] },
      ],
    });
    expect(result.findings[0]).toBe('double_billing INV-1-1 5 8 30.00');
  });

  it('ignores invoices of other customers and the investigated invoice among the others', () => {
    const line = { sku: 'A', quantity: 10, unitPrice: '10.00' };
    const result = brief({
      invoice: { issuedAt: '2026-04-01', lines: [line] },
      otherInvoices: [
        { id: 'INV-1', issuedAt: '2026-04-01', lines: [line] },
        { id: 'INV-X', customerId: 'C-9', issuedAt: '2026-03-01', lines: [line] },
      ],
    });
    expect(result.findings).toEqual([]);
  });
});

describe('pricing', () => {
  it('compares the unit price with the contract price, on the billable quantity', () => {
    const result = run({
      prices: { A: '410.00' },
      invoice: { lines: [{ sku: 'A', quantity: 2, unitPrice: '450.00' }] },
      ordered: { A: 2 },
    });
    expect(result.findings[0]).toMatchObject({
      rule: 'pricing',
      lineId: 'INV-1-1',
      expected: '410.00',
      actual: '450.00',
      delta: { minor: 8000n, currency: 'USD' },
      explanation:
        'Line INV-1-1 bills SKU A at 450.00 but the contract price on 2026-03-05 is 410.00.',
    });
  });

  it('flags an undercharge with a negative delta', () => {
    const result = brief({
      invoice: { lines: [{ sku: 'A', quantity: 10, unitPrice: '9.00' }] },
    });
    expect(result.findings).toEqual([
      'pricing INV-1-1 10.00 9.00 -10.00',
      'tax - 10.00 9.00 -1.00',
    ]);
    expect(result.verdict).toBe('undercharged');
  });

  it('asks for review when the contract has no price for the SKU', () => {
    const result = brief({
      invoice: { lines: [{ sku: 'B', quantity: 1, unitPrice: '5.00', poLineId: poLineId('A') }] },
      ordered: { A: 1 },
    });
    expect(result.findings).toEqual(['pricing INV-1-1 null 5.00 0.00']);
    expect(result.verdict).toBe('needs_review');
  });

  it('asks for review when the invoice date is outside the contract', () => {
    const result = brief({
      validTo: '2026-03-04',
      invoice: { lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }] },
    });
    expect(result.findings).toEqual(['pricing INV-1-1 null 10.00 0.00']);
  });
});

describe('discounts', () => {
  const line = (issuedAt: string, discountPercent: string): ScenarioSpec => ({
    discounts: [promotion],
    invoice: { issuedAt, lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00', discountPercent }] },
  });

  it.each([
    ['2026-06-30', '0', []],
    ['2026-07-01', '3', []],
    ['2026-09-30', '3', []],
    ['2026-10-01', '0', []],
    ['2026-07-01', '0', ['discount INV-1-1 3 0 3.00', 'tax - 9.70 10.00 0.30']],
    ['2026-09-30', '0', ['discount INV-1-1 3 0 3.00', 'tax - 9.70 10.00 0.30']],
    ['2026-06-30', '3', ['discount INV-1-1 0 3 -3.00', 'tax - 10.00 9.70 -0.30']],
    ['2026-10-01', '3', ['discount INV-1-1 0 3 -3.00', 'tax - 10.00 9.70 -0.30']],
  ])('promotion on %s billed at %s%%', (issuedAt, percent, findings) => {
    expect(brief(line(issuedAt, percent)).findings).toEqual(findings);
  });

  it.each([
    [9, []],
    [10, ['discount INV-1-1 5 0 5.00', 'tax - 9.50 10.00 0.50']],
  ])('volume threshold 10 with %i units', (quantity, findings) => {
    expect(
      brief({
        discounts: [volume],
        ordered: { A: quantity },
        invoice: { lines: [{ sku: 'A', quantity, unitPrice: '10.00' }] },
      }).findings,
    ).toEqual(findings);
  });

  it('tests the volume threshold against the billable quantity, not the billed one', () => {
    const result = brief({
      discounts: [volume],
      ordered: { A: 12 },
      deliveries: [{ [poLineId('A')]: 9 }],
      invoice: { lines: [{ sku: 'A', quantity: 12, unitPrice: '10.00' }] },
    });
    expect(result.findings[0]).toBe('quantity INV-1-1 9 12 30.00');
    expect(result.findings.some((f) => f.startsWith('discount'))).toBe(false);
  });

  it('does not stack discounts: the largest applies', () => {
    const result = brief({
      discounts: [volume, { ...promotion, percent: '3' }],
      invoice: {
        issuedAt: '2026-08-01',
        lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00', discountPercent: '8' }],
      },
    });
    expect(result.findings[0]).toBe('discount INV-1-1 5 8 -3.00');
  });

  it('accepts decimal percents and names them without trailing zeros', () => {
    const result = brief({
      discounts: [{ ...volume, percent: '7.50' }],
      invoice: { lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00', discountPercent: '0.0' }] },
    });
    expect(result.findings[0]).toBe('discount INV-1-1 7.5 0 7.50');
  });
});

describe('retroactive discounts', () => {
  const retro: ContractDiscount = {
    id: 'RETRO',
    kind: 'retroactive',
    sku: 'A',
    percent: '10',
    minQuantity: 100,
  };
  const spec = (laterQuantity: number, laterDate = '2026-06-01'): ScenarioSpec => ({
    discounts: [retro],
    ordered: { A: 60 },
    invoice: { issuedAt: '2026-03-01', lines: [{ sku: 'A', quantity: 60, unitPrice: '10.00' }] },
    otherInvoices: [
      {
        issuedAt: laterDate,
        lines: [{ sku: 'A', quantity: laterQuantity, unitPrice: '10.00', poLineId: 'PO-2-A' }],
      },
    ],
  });

  it('applies once the total over all the customer’s invoices reaches the threshold, even later ones', () => {
    expect(brief(spec(40)).findings).toEqual([
      'retroactive_discount INV-1-1 10 0 60.00',
      'tax - 54.00 60.00 6.00',
    ]);
  });

  it('does not apply below the threshold', () => {
    expect(brief(spec(39)).findings).toEqual([]);
  });

  it('counts only invoices issued within the contract validity', () => {
    expect(brief(spec(40, '2027-01-01')).findings).toEqual([]);
  });

  it('loses a tie to a discount that applies at billing time', () => {
    const result = brief({ ...spec(40), discounts: [retro, { ...volume, percent: '10' }] });
    expect(result.findings[0]).toBe('discount INV-1-1 10 0 60.00');
  });
});

describe('tax', () => {
  it('uses the customer rate, not the rate printed on the invoice', () => {
    const input = scenario({
      invoice: { lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }] },
    });
    const result = investigateInvoice({ ...input, invoice: { ...input.invoice, taxRate: '0.2' } });
    expect(result.findings).toEqual([]);
  });

  it('expects no tax from a tax-exempt customer', () => {
    const exempt = (tax: string): ScenarioSpec => ({
      taxRate: '0',
      invoice: { lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }], tax, total: `1${tax}` },
    });
    expect(brief(exempt('00.00')).findings).toEqual([]);
    expect(brief(exempt('08.25')).findings).toEqual(['tax - 0.00 8.25 8.25']);
  });

  it('rounds tax half away from zero: 8.25 % of 10.30 = 0.84975 → 0.85', () => {
    const result = brief({
      taxRate: '0.0825',
      prices: { A: '10.30' },
      ordered: { A: 1 },
      invoice: {
        lines: [{ sku: 'A', quantity: 1, unitPrice: '10.30' }],
        tax: '0.84',
        total: '11.14',
      },
    });
    expect(result.findings).toEqual(['tax - 0.85 0.84 -0.01']);
  });
});

describe('unbilled', () => {
  it('values delivered but unbilled quantities at the contract price, plus tax', () => {
    const result = run({
      prices: { A: '10.00', B: '1450.00' },
      ordered: { A: 10, B: 2 },
      invoice: { lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }] },
      otherInvoices: [
        {
          issuedAt: '2026-09-01',
          lines: [{ sku: 'B', quantity: 1, unitPrice: '1450.00' }],
        },
      ],
    });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      rule: 'unbilled',
      lineId: poLineId('B'),
      expected: '2',
      actual: '1',
      delta: { minor: -159500n, currency: 'USD' },
    });
    expect(result.verdict).toBe('undercharged');
  });

  it('applies the discount the unbilled quantity would have had', () => {
    const result = brief({
      discounts: [volume],
      ordered: { A: 12 },
      invoice: { lines: [{ sku: 'A', quantity: 1, unitPrice: '10.00' }] },
    });
    // 11 unbilled ≥ 10: 110.00 less 5 % = 104.50, tax 10.45.
    expect(result.findings).toEqual(['unbilled PO-1-A 12 1 -114.95']);
  });

  it('needs review when the unbilled SKU has no contract price', () => {
    const result = brief({
      ordered: { A: 10, Z: 1 },
      invoice: { lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }] },
    });
    expect(result.findings).toEqual(['unbilled PO-1-Z 1 0 0.00']);
    expect(result.verdict).toBe('needs_review');
  });
});

describe('billing details', () => {
  const withAddress = (line1: string): ScenarioSpec => ({
    invoice: {
      billingAddress: { ...ADDRESS, line1 },
      lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }],
    },
  });

  it('flags a different address with a zero delta, which needs review', () => {
    expect(brief(withAddress('9 Other Rd'))).toEqual({
      findings: ['billing_details - null null 0.00'],
      totalDelta: '0.00',
      verdict: 'needs_review',
    });
  });

  it('ignores case and spacing', () => {
    expect(brief(withAddress('  1 MAIN   st ')).findings).toEqual([]);
  });
});

describe('verdict', () => {
  const clean: ScenarioSpec = {
    invoice: { lines: [{ sku: 'A', quantity: 10, unitPrice: '10.00' }] },
  };

  it.each([
    ['service_not_rendered', 'needs_review'],
    ['other', 'needs_review'],
    ['pricing_error', 'no_discrepancy'],
  ])('with reason %s and no findings is %s', (reason, verdict) => {
    expect(run({ ...clean, reason }).verdict).toBe(verdict);
  });

  it('keeps a money verdict whatever the reason', () => {
    const overcharged: ScenarioSpec = {
      reason: 'service_not_rendered',
      invoice: { lines: [{ sku: 'A', quantity: 10, unitPrice: '11.00' }] },
    };
    expect(run(overcharged).verdict).toBe('overcharged');
  });
});

describe('input checks', () => {
  const input = scenario({ invoice: { lines: [{ sku: 'A', quantity: 1, unitPrice: '10.00' }] } });

  it('rejects records that do not belong together', () => {
    expect(() =>
      investigateInvoice({ ...input, customer: { ...input.customer, id: 'C-2' } }),
    ).toThrow(InvestigationInputError);
    expect(() =>
      investigateInvoice({ ...input, contract: { ...input.contract, id: 'K-2' } }),
    ).toThrow(/under contract K-1, not K-2/);
    expect(() =>
      investigateInvoice({ ...input, customer: { ...input.customer, currency: 'EUR' } }),
    ).toThrow(/billed in EUR/);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BundleReferenceError,
  bundleSchema,
  bundleToRecords,
  type BundleInput,
} from '../../domain/bundle';
import { sampleBundle } from '../support/sample-data';

const sample = bundleSchema.parse(sampleBundle());

function clone(): BundleInput {
  return sampleBundle() as BundleInput;
}

function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = bundleSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
}

describe('bundleSchema', () => {
  it('accepts the shared sample bundle', () => {
    expect(sample.invoices).toHaveLength(7);
    expect(sample.contracts[1]?.discounts[1]).toEqual({
      id: 'RETRO-RAM',
      kind: 'retroactive',
      sku: 'RAM-64',
      percent: '10',
      minQuantity: 100,
    });
  });

  it('accepts any subset of the arrays and defaults the rest', () => {
    const parsed = bundleSchema.parse({ payments: [] });
    expect(parsed.customers).toEqual([]);
    expect(parsed.invoices).toEqual([]);
  });

  it('defaults the locale to en', () => {
    const bundle = clone();
    delete bundle.customers![0]!.locale;
    expect(bundleSchema.parse(bundle).customers[0]?.locale).toBe('en');
  });

  it('rejects unknown keys at every level', () => {
    const bundle = clone() as Record<string, unknown> & BundleInput;
    bundle.refunds = [];
    (bundle.invoices![0]!.lines[0] as Record<string, unknown>).note = 'x';
    (bundle.customers![0]!.billingAddress as Record<string, unknown>).state = 'TX';
    expect(issuesOf(bundle)).toEqual([
      { path: 'customers.0.billingAddress', message: 'Unrecognized key: "state"' },
      { path: 'invoices.0.lines.0', message: 'Unrecognized key: "note"' },
      { path: '', message: 'Unrecognized key: "refunds"' },
    ]);
  });

  it('checks money against the record’s currency', () => {
    const bundle = clone();
    const invoice = bundle.invoices![0]!;
    invoice.lines[1]!.unitPrice = '310.001';
    invoice.total = '22494.3'; // fewer decimals than the currency has are fine
    bundle.payments![0]!.amount = '1.5.0';
    expect(issuesOf(bundle)).toEqual([
      {
        path: 'invoices.0.lines.1.unitPrice',
        message: 'USD amounts have at most 2 decimal places, got "310.001"',
      },
      { path: 'payments.0.amount', message: 'must be a decimal string like "1234.50"' },
    ]);
  });

  it('knows JPY has no decimals and KWD has three', () => {
    const bundle = clone();
    const customer = bundle.customers![0]!;
    customer.currency = 'KWD';
    const contract = bundle.contracts![0]!;
    contract.prices[0]!.unitPrice = '1200.125';
    const invoice = bundle.invoices![1]!;
    invoice.currency = 'JPY';
    expect(issuesOf({ customers: [customer], contracts: [contract] })).toEqual([]);
    expect(issuesOf({ invoices: [invoice] })).toEqual([
      { path: 'invoices.0.subtotal', message: 'JPY amounts have no decimal places, got "1146.00"' },
      { path: 'invoices.0.tax', message: 'JPY amounts have no decimal places, got "94.55"' },
      { path: 'invoices.0.total', message: 'JPY amounts have no decimal places, got "1240.55"' },
      {
        path: 'invoices.0.lines.0.unitPrice',
        message: 'JPY amounts have no decimal places, got "150.00"',
      },
      {
        path: 'invoices.0.lines.0.lineTotal',
        message: 'JPY amounts have no decimal places, got "1146.00"',
      },
    ]);
  });

  it('checks contract prices against the customer’s currency when the customer is in the bundle', () => {
    const bundle = clone();
    bundle.contracts![0]!.prices[2]!.unitPrice = '4.505';
    expect(issuesOf(bundle)).toEqual([
      {
        path: 'contracts.0.prices.2.unitPrice',
        message: 'USD amounts have at most 2 decimal places, got "4.505"',
      },
    ]);
  });

  it('requires invoices and payments in the customer’s currency', () => {
    const bundle = clone();
    bundle.invoices![0]!.currency = 'EUR';
    bundle.payments![1]!.currency = 'EUR';
    expect(issuesOf(bundle)).toEqual([
      { path: 'invoices.0.currency', message: 'must be USD, the currency of customer C-100' },
      { path: 'payments.1.currency', message: 'must be USD, the currency of customer C-200' },
    ]);
  });

  it('explains bad currencies, dates, percents, rates and quantities', () => {
    const bundle = clone();
    bundle.customers![0]!.currency = 'usd';
    bundle.customers![1]!.taxRate = '7';
    bundle.customers![2]!.email = 'nobody';
    bundle.invoices![0]!.issuedAt = '2026-02-30';
    bundle.invoices![0]!.lines[0]!.discountPercent = '101';
    bundle.invoices![0]!.lines[1]!.quantity = 1.5;
    bundle.deliveries![0]!.lines[0]!.quantity = -1;
    expect(issuesOf(bundle)).toEqual([
      { path: 'customers.0.currency', message: 'unknown ISO 4217 currency "usd"' },
      {
        path: 'customers.1.taxRate',
        message: 'must be a rate from 0 to 1 as a string like "0.0825" (8.25 %), not a percent',
      },
      { path: 'customers.2.email', message: 'must be an email address' },
      { path: 'deliveries.0.lines.0.quantity', message: 'must not be negative' },
      { path: 'invoices.0.issuedAt', message: 'must be a calendar date like 2026-03-05' },
      {
        path: 'invoices.0.lines.0.discountPercent',
        message: 'must be a percent from 0 to 100 as a string like "7.5"',
      },
      { path: 'invoices.0.lines.1.quantity', message: 'must be a whole number' },
    ]);
  });

  it('requires the fields each discount kind needs, and only those', () => {
    const bundle = clone();
    const discounts = bundle.contracts![0]!.discounts as Record<string, unknown>[];
    delete discounts[0]!.minQuantity;
    discounts[1]!.minQuantity = 5;
    discounts.push({ id: 'X', kind: 'loyalty', sku: '*', percent: '1' });
    discounts.push({
      id: 'Y',
      kind: 'promotion',
      sku: '*',
      percent: '1',
      from: '2026-05-01',
      to: '2026-04-01',
    });
    expect(issuesOf(bundle)).toEqual([
      { path: 'contracts.0.discounts.0.minQuantity', message: 'must be a whole number' },
      { path: 'contracts.0.discounts.1', message: 'Unrecognized key: "minQuantity"' },
      {
        path: 'contracts.0.discounts.2.kind',
        message: "Invalid discriminator value. Expected 'volume' | 'promotion' | 'retroactive'",
      },
      { path: 'contracts.0.discounts.3.to', message: 'must not be before "from"' },
    ]);
  });

  it('rejects duplicate ids, including line ids across documents', () => {
    const bundle = clone();
    bundle.invoices![1]!.id = 'INV-1001';
    bundle.invoices![1]!.lines[0]!.id = 'INV-1001-3';
    bundle.contracts![0]!.prices[1]!.sku = 'SW-48P';
    expect(issuesOf(bundle)).toEqual([
      {
        path: 'contracts.0.prices.1.sku',
        message: 'duplicate price for SKU "SW-48P" (first at prices[0].sku)',
      },
      { path: 'invoices.1.id', message: 'duplicate id "INV-1001" (first at invoices[0].id)' },
      {
        path: 'invoices.1.lines.0.id',
        message: 'duplicate line id "INV-1001-3" (first at invoices[0].lines[2].id)',
      },
    ]);
  });

  it('checks date order within a record', () => {
    const bundle = clone();
    bundle.contracts![0]!.validTo = '2025-12-31';
    bundle.invoices![0]!.dueAt = '2026-03-04';
    expect(issuesOf(bundle)).toEqual([
      { path: 'contracts.0.validTo', message: 'must not be before validFrom' },
      { path: 'invoices.0.dueAt', message: 'must not be before issuedAt' },
    ]);
  });

  it('can be turned into JSON Schema for the OpenAPI document', () => {
    const schema = z.toJSONSchema(bundleSchema, { io: 'input' });
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
  });
});

describe('bundleToRecords', () => {
  it('turns money into bigint minor units of the record’s currency', () => {
    const records = bundleToRecords(sample);
    const invoice = records.invoices.find((i) => i.id === 'INV-2001')!;
    expect(invoice.total).toEqual({ minor: 4481160n, currency: 'USD' });
    expect(invoice.lines[0]!.unitPrice).toEqual({ minor: 435000n, currency: 'USD' });
    expect(records.contracts[2]!.prices[0]!.unitPrice).toEqual({ minor: 89900n, currency: 'EUR' });
    expect(records.payments[0]!.amount).toEqual({ minor: 2249435n, currency: 'USD' });
    expect(records.purchaseOrders).toHaveLength(6);
    expect(records.deliveries).toHaveLength(6);
  });

  it('prices a contract whose customer was imported earlier', () => {
    const bundle = bundleSchema.parse({ contracts: [sample.contracts[2]] });
    const records = bundleToRecords(bundle, {
      customerCurrency: (id) => (id === 'C-300' ? 'EUR' : undefined),
    });
    expect(records.contracts[0]!.prices[1]!.unitPrice).toEqual({ minor: 12900n, currency: 'EUR' });
  });

  it('names the contracts whose prices it cannot read', () => {
    const bundle = bundleSchema.parse({ contracts: [sample.contracts[0], sample.contracts[2]] });
    const convert = (): unknown =>
      bundleToRecords(bundle, { customerCurrency: (id) => (id === 'C-300' ? 'JPY' : undefined) });
    expect(convert).toThrow(BundleReferenceError);
    try {
      convert();
    } catch (error) {
      expect((error as BundleReferenceError).issues).toEqual([
        {
          path: ['contracts', 0, 'customerId'],
          message: 'customer C-100 is unknown, so the currency of its prices is too',
        },
        {
          path: ['contracts', 1, 'prices', 0, 'unitPrice'],
          message: 'JPY amounts have no decimal places, got "899.00"',
        },
        {
          path: ['contracts', 1, 'prices', 1, 'unitPrice'],
          message: 'JPY amounts have no decimal places, got "129.00"',
        },
        {
          path: ['contracts', 1, 'prices', 2, 'unitPrice'],
          message: 'JPY amounts have no decimal places, got "149.00"',
        },
      ]);
    }
  });
});

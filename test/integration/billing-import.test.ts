// The import's upsert against real SQLite and PostgreSQL: the same bundle again writes nothing,
// a changed record replaces exactly what changed, and a bundle that fails leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveBillingRecords } from '../../store/billing/records';
import { importBundle } from '../../store/billing/import';
import { bundleSchema, bundleToRecords } from '../../domain/bundle';
import type { Db } from '../../store/db';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import { sampleBundle } from '../support/sample-data';

const sample = sampleBundle();

async function billingTables(db: Db) {
  return {
    customers: await db.customer.findMany({ orderBy: { id: 'asc' } }),
    contracts: await db.contract.findMany({ orderBy: { id: 'asc' } }),
    prices: await db.contractPrice.findMany({ orderBy: [{ contractId: 'asc' }, { sku: 'asc' }] }),
    discounts: await db.contractDiscount.findMany({
      orderBy: [{ contractId: 'asc' }, { id: 'asc' }],
    }),
    purchaseOrders: await db.purchaseOrder.findMany({ orderBy: { id: 'asc' } }),
    purchaseOrderLines: await db.purchaseOrderLine.findMany({ orderBy: { id: 'asc' } }),
    deliveries: await db.delivery.findMany({ orderBy: { id: 'asc' } }),
    deliveryLines: await db.deliveryLine.findMany({
      orderBy: [{ deliveryId: 'asc' }, { position: 'asc' }],
    }),
    invoices: await db.invoice.findMany({ orderBy: { id: 'asc' } }),
    invoiceLines: await db.invoiceLine.findMany({ orderBy: { id: 'asc' } }),
    payments: await db.payment.findMany({ orderBy: { id: 'asc' } }),
  };
}

describe.each(DATABASE_KINDS)('importing billing records on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await importBundle(database.db, sample);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('writes every record of the sample bundle, lines in their order', async () => {
    const tables = await billingTables(database.db);
    expect(tables.invoices).toHaveLength(sample.invoices.length);
    const inv2001 = await database.db.invoiceLine.findMany({
      where: { invoiceId: 'INV-2001' },
      orderBy: { position: 'asc' },
    });
    expect(inv2001.map((l) => l.id)).toEqual(['INV-2001-1', 'INV-2001-2', 'INV-2001-3']);
    expect(inv2001[0]).toMatchObject({ quantity: 4, unitPrice: 435000n, lineTotal: 1740000n });
  });

  it('changes nothing when the same bundle is imported again', async () => {
    const before = await billingTables(database.db);
    await importBundle(database.db, sample);
    expect(await billingTables(database.db)).toEqual(before);
  });

  it('replaces exactly what a changed bundle changes', async () => {
    const before = await billingTables(database.db);
    const changed = structuredClone(sample);
    changed.customers[0].name = 'Northwind Traders (renamed)';
    changed.contracts[0].discounts = changed.contracts[0].discounts.slice(1);
    const invoice = changed.invoices.find((i: { id: string }) => i.id === 'INV-1001');
    invoice.lines = [{ ...invoice.lines[1], quantity: 19, lineTotal: '5890.00' }, invoice.lines[0]];
    await importBundle(database.db, changed);

    const after = await billingTables(database.db);
    expect(after.customers[0]).toMatchObject({ id: 'C-100', name: 'Northwind Traders (renamed)' });
    const discountsOf = (
      rows: { contractId: string; id: string }[],
      contractId: string,
    ): string[] => rows.filter((d) => d.contractId === contractId).map((d) => d.id);
    expect(discountsOf(after.discounts, 'K-100')).toEqual(['PROMO-Q3']);
    expect(discountsOf(after.discounts, 'K-200')).toEqual(discountsOf(before.discounts, 'K-200'));
    const lines = await database.db.invoiceLine.findMany({
      where: { invoiceId: 'INV-1001' },
      orderBy: { position: 'asc' },
    });
    expect(lines.map((l) => [l.id, l.quantity, l.lineTotal])).toEqual([
      ['INV-1001-2', 19, 589000n],
      ['INV-1001-1', 12, 1368000n],
    ]);
    // Settle's own columns survive an update, and untouched records stay as they were.
    const createdAt = (rows: { id: string; createdAt: Date }[]): Date | undefined =>
      rows.find((r) => r.id === 'INV-1001')?.createdAt;
    expect(createdAt(after.invoices)).toEqual(createdAt(before.invoices));
    const otherLines = <L extends { invoiceId: string }>(rows: L[]): L[] =>
      rows.filter((l) => l.invoiceId !== 'INV-1001');
    expect(otherLines(after.invoiceLines)).toEqual(otherLines(before.invoiceLines));
    expect(after.invoices).toEqual(before.invoices);

    await importBundle(database.db, sample);
    expect(await billingTables(database.db)).toEqual({ ...before, invoices: after.invoices });
  });

  it('leaves nothing behind when a bundle fails inside the transaction', async () => {
    const before = await billingTables(database.db);
    const records = bundleToRecords(
      bundleSchema.parse({
        customers: [{ ...sample.customers[0], id: 'C-NEW' }],
        invoices: [
          // A line id that another invoice already has: the database rejects it after the customer is written.
          {
            ...sample.invoices[0],
            id: 'INV-NEW',
            customerId: 'C-NEW',
            lines: [sample.invoices[1].lines[0]],
          },
        ],
      }),
    );
    await expect(saveBillingRecords(database.db, records)).rejects.toThrow();
    expect(await billingTables(database.db)).toEqual(before);
  });
});

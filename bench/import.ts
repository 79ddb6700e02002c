// Import throughput through importBundle (validation, reference checks, one transaction) on
// SQLite, in invoice lines per second: new records, and the same bundle again (an upsert that
// changes nothing). Target: 10,000 invoice lines per second.
import { importBundle } from '../store/billing/import';
import type { BundleInput } from '../domain/bundle';
import { formatAmount, money } from '../domain/money';
import { createTestDatabase } from '../test/support/database';
import { throughputOf, type Benchmark } from './benchmark';

interface BundleShape {
  customers: number;
  purchaseOrdersPerCustomer: number;
  linesPerPurchaseOrder: number;
  invoicesPerPurchaseOrder: number;
  linesPerInvoice: number;
}

// 20,000 invoice lines on 500 invoices, with 10,000 PO lines and 10,000 delivery lines.
const SHAPE: BundleShape = {
  customers: 10,
  purchaseOrdersPerCustomer: 5,
  linesPerPurchaseOrder: 200,
  invoicesPerPurchaseOrder: 10,
  linesPerInvoice: 40,
};
const SKUS = 50;
const usd = (minor: bigint): string => formatAmount(money(minor, 'USD'));
const address = { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

type CompleteBundle = { [K in keyof BundleInput]-?: NonNullable<BundleInput[K]> };

/** A valid bundle whose ids all start with `prefix`, so each import adds new records. */
export function syntheticBundle(prefix: string, shape: BundleShape = SHAPE): CompleteBundle {
  const bundle: CompleteBundle = {
    customers: [],
    contracts: [],
    purchaseOrders: [],
    deliveries: [],
    invoices: [],
    payments: [],
  };
  for (let c = 0; c < shape.customers; c += 1) {
    const customerId = `${prefix}C-${c}`;
    const contractId = `${prefix}K-${c}`;
    bundle.customers.push({
      id: customerId,
      name: `Customer ${c}`,
      email: `ap${c}@customer.example`,
      currency: 'USD',
      taxRate: '0.0825',
      billingAddress: address,
    });
    bundle.contracts.push({
      id: contractId,
      customerId,
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      prices: Array.from({ length: SKUS }, (_, s) => ({
        sku: `SKU-${s}`,
        unitPrice: usd(1000n + BigInt(s) * 25n),
      })),
      discounts: [
        { id: 'VOL', kind: 'volume', sku: '*', percent: '5', minQuantity: 20 },
        {
          id: 'PROMO',
          kind: 'promotion',
          sku: 'SKU-1',
          percent: '7.5',
          from: '2026-09-01',
          to: '2026-09-30',
        },
      ],
    });
    for (let o = 0; o < shape.purchaseOrdersPerCustomer; o += 1) {
      const poId = `${prefix}PO-${c}-${o}`;
      const poLines = Array.from({ length: shape.linesPerPurchaseOrder }, (_, l) => ({
        id: `${poId}-${l}`,
        sku: `SKU-${l % SKUS}`,
        quantity: 10,
      }));
      bundle.purchaseOrders.push({
        id: poId,
        customerId,
        contractId,
        date: '2026-02-01',
        lines: poLines,
      });
      bundle.deliveries.push({
        id: `${prefix}DL-${c}-${o}`,
        purchaseOrderId: poId,
        date: '2026-02-15',
        lines: poLines.map((l) => ({ poLineId: l.id, quantity: l.quantity })),
      });
      for (let v = 0; v < shape.invoicesPerPurchaseOrder; v += 1) {
        const invoiceId = `${prefix}INV-${c}-${o}-${v}`;
        const lines = Array.from({ length: shape.linesPerInvoice }, (_, i) => {
          const poLine = poLines[(v * shape.linesPerInvoice + i) % poLines.length]!;
          const price = 1000n + BigInt((v * shape.linesPerInvoice + i) % SKUS) * 25n;
          return {
            id: `${invoiceId}-${i}`,
            sku: poLine.sku,
            poLineId: poLine.id,
            quantity: 1,
            unitPrice: usd(price),
            discountPercent: '0',
            lineTotal: usd(price),
          };
        });
        const subtotal = lines.reduce((sum, l) => sum + BigInt(l.lineTotal.replace('.', '')), 0n);
        const tax = (subtotal * 825n + 5000n) / 10000n;
        bundle.invoices.push({
          id: invoiceId,
          customerId,
          purchaseOrderId: poId,
          issuedAt: '2026-03-05',
          dueAt: '2026-04-04',
          currency: 'USD',
          taxRate: '0.0825',
          billingAddress: address,
          subtotal: usd(subtotal),
          tax: usd(tax),
          total: usd(subtotal + tax),
          lines,
        });
        if (v % 2 === 0) {
          bundle.payments.push({
            id: `${prefix}PAY-${c}-${o}-${v}`,
            customerId,
            invoiceId,
            receivedAt: '2026-04-01',
            amount: usd(subtotal + tax),
            currency: 'USD',
          });
        }
      }
    }
  }
  return bundle;
}

const linesPerBundle =
  SHAPE.customers *
  SHAPE.purchaseOrdersPerCustomer *
  SHAPE.invoicesPerPurchaseOrder *
  SHAPE.linesPerInvoice;
const TARGET_LINES_PER_SECOND = 10_000;

export const benchmark: Benchmark = {
  description: `importBundle on SQLite: ${linesPerBundle.toLocaleString('en-US')} invoice lines per bundle, new and re-imported`,
  async run(ctx) {
    const iterations = ctx.quick ? 2 : 5;
    ctx.progress('migrating a temporary SQLite database');
    const database = await createTestDatabase('sqlite');
    ctx.defer(() => database.drop());
    ctx.progress('generating bundles');
    const warmup = syntheticBundle('W-');
    const fresh = Array.from({ length: iterations }, (_, i) => syntheticBundle(`R${i}-`));
    const details = {
      shape: SHAPE,
      invoices: warmup.invoices.length,
      invoiceLines: linesPerBundle,
      purchaseOrderLines:
        SHAPE.customers * SHAPE.purchaseOrdersPerCustomer * SHAPE.linesPerPurchaseOrder,
      payments: warmup.payments.length,
    };

    const created = await ctx.sample(
      'import new records',
      async (i) => {
        await importBundle(database.db, i < 0 ? warmup : fresh[i]);
      },
      { iterations, warmup: 1 },
    );
    const again = await ctx.sample(
      're-import the same bundle',
      async (i) => {
        await importBundle(database.db, fresh[Math.max(0, i) % fresh.length]);
      },
      { iterations, warmup: 1 },
    );
    const target = { stat: 'throughput', min: TARGET_LINES_PER_SECOND } as const;
    return [
      {
        name: 'import new records',
        unit: 'ms',
        samples: created,
        throughput: throughputOf(linesPerBundle, created, 'lines/s'),
        target,
        details,
      },
      {
        name: 're-import unchanged bundle',
        unit: 'ms',
        samples: again,
        throughput: throughputOf(linesPerBundle, again, 'lines/s'),
        target,
        details,
      },
    ];
  },
};

// Investigation of one invoice of 10,000 lines against a customer with 1,000 earlier invoices:
// the pure rules alone (target < 50 ms), and loading through Prisma on SQLite as the activity
// does, plus the rules (target < 1 s).
import { loadInvestigationInput, saveBillingRecords } from '../store/billing/records';
import {
  investigateInvoice,
  type InvestigationInput,
  type InvestigationResult,
} from '../domain/investigation';
import { formatAmount } from '../domain/money';
import { createTestDatabase } from '../test/support/database';
import { bigInput, EARLIER_INVOICES, LINES } from '../test/unit/big-invoice-fixture';
import type { Benchmark, Measurement } from './benchmark';

const size = { lines: LINES, earlierInvoices: EARLIER_INVOICES };
const IMPORT_BATCH = 250;
const shape = `${LINES.toLocaleString('en-US')} lines, ${EARLIER_INVOICES.toLocaleString('en-US')} earlier invoices`;

function summary(result: InvestigationResult): string {
  return `${result.findings.length} findings, totalDelta ${formatAmount(result.totalDelta)}`;
}

export const benchmark: Benchmark = {
  description: `investigateInvoice on ${shape}: pure, and loaded through Prisma on SQLite`,
  async run(ctx) {
    const measurements: Measurement[] = [];
    const typical = bigInput(100, size);
    const expected = investigateInvoice(typical);

    const pure = await ctx.sample(
      'pure function, 1 line in 100 wrong',
      () => investigateInvoice(typical),
      {
        iterations: ctx.quick ? 10 : 50,
        warmup: 5,
      },
    );
    measurements.push({
      name: `pure function (${shape}, 1 % wrong)`,
      unit: 'ms',
      samples: pure,
      target: { stat: 'p50', max: 50 },
      details: { ...size, result: summary(expected) },
    });

    const worst: InvestigationInput = bigInput(1, size);
    const allWrong = await ctx.sample(
      'pure function, every line wrong',
      () => investigateInvoice(worst),
      {
        iterations: ctx.quick ? 5 : 20,
        warmup: 2,
      },
    );
    measurements.push({
      name: `pure function (${shape}, every line wrong)`,
      unit: 'ms',
      samples: allWrong,
      details: { ...size, result: summary(investigateInvoice(worst)) },
    });

    ctx.progress('migrating a temporary SQLite database');
    const database = await createTestDatabase('sqlite');
    ctx.defer(() => database.drop());
    ctx.progress(`saving ${(LINES + EARLIER_INVOICES * 20).toLocaleString('en-US')} invoice lines`);
    // The history arrives import by import, as it would in production.
    const invoices = [typical.invoice, ...typical.otherInvoices];
    for (let i = 0; i < invoices.length; i += IMPORT_BATCH) {
      await saveBillingRecords(database.db, {
        customers: i === 0 ? [typical.customer] : [],
        contracts: i === 0 ? [typical.contract] : [],
        purchaseOrders: i === 0 ? [typical.purchaseOrder] : [],
        deliveries: i === 0 ? [...typical.deliveries] : [],
        invoices: invoices.slice(i, i + IMPORT_BATCH),
        payments: [],
      });
    }

    const loadMs: number[] = [];
    let loaded: InvestigationResult | undefined;
    const total = await ctx.sample(
      'load through Prisma (SQLite) and investigate',
      async () => {
        const t0 = performance.now();
        const input = await loadInvestigationInput(database.db, typical.invoice.id, null);
        loadMs.push(performance.now() - t0);
        loaded = investigateInvoice(input);
      },
      { iterations: ctx.quick ? 3 : 10, warmup: 1 },
    );
    // The database round trip must not change the answer, or the timing measures the wrong thing.
    if (!loaded || summary(loaded) !== summary(expected)) {
      throw new Error(
        `loaded investigation differs: ${loaded ? summary(loaded) : 'none'} vs ${summary(expected)}`,
      );
    }
    measurements.push({
      name: `load (Prisma, SQLite) + investigate (${shape})`,
      unit: 'ms',
      samples: total,
      target: { stat: 'p50', max: 1000 },
      details: { ...size, result: summary(loaded) },
    });
    measurements.push({
      name: 'of which loadInvestigationInput',
      unit: 'ms',
      // The warm-up run's load is not a sample.
      samples: loadMs.slice(-total.length),
    });
    return measurements;
  },
};

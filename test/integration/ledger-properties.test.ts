// The property of test/unit/ledger-properties.test.ts through the real code paths: random
// imports, re-imports, payments, corrections and retries against SQLite and PostgreSQL, with the
// invariants read back from the database after every step.
import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInDatabase } from '../../store/ledger/snapshot';
import { importBundle } from '../../store/billing/import';
import {
  CORRECTION_KINDS,
  type CorrectionKind,
  type CorrectionRequest,
} from '../../domain/ledger/correction';
import { roundQuotient } from '../../domain/decimal';
import { formatAmount, money } from '../../domain/money';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import {
  applyCorrection,
  correctionRequest,
  createDispute,
  importSample,
  ledgerDeps,
} from '../support/ledger';

type Op =
  | { type: 'invoice'; n: number; subtotal: bigint }
  | { type: 'payment'; n: number; invoice: number; amount: bigint | null }
  | { type: 'correction'; invoice: number; kind: CorrectionKind; amount: bigint; approved: boolean }
  | { type: 'retry'; which: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    type: fc.constant('invoice' as const),
    n: fc.nat(2),
    subtotal: fc.bigInt({ min: 1n, max: 500_000n }),
  }),
  fc.record({
    type: fc.constant('payment' as const),
    n: fc.nat(2),
    invoice: fc.nat(2),
    amount: fc.option(fc.bigInt({ min: 1n, max: 600_000n })),
  }),
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('correction' as const),
      invoice: fc.nat(2),
      kind: fc.constantFrom(...CORRECTION_KINDS),
      amount: fc.bigInt({ min: 1n, max: 100_000n }),
      approved: fc.boolean(),
    }),
  },
  fc.record({ type: fc.constant('retry' as const), which: fc.nat(5) }),
);

const usd = (minor: bigint): string => formatAmount(money(minor, 'USD'));
const address = { line1: '400 Market St', city: 'Austin', postalCode: '78701', country: 'US' };

function invoiceRecord(id: string, subtotal: bigint): Record<string, unknown> {
  const tax = roundQuotient(subtotal * 825n, 10_000n);
  return {
    id,
    customerId: 'C-100',
    purchaseOrderId: 'PO-100',
    issuedAt: '2026-03-05',
    dueAt: '2026-04-04',
    currency: 'USD',
    taxRate: '0.0825',
    billingAddress: address,
    lines: [
      {
        id: `${id}-1`,
        sku: 'CAB-C6',
        poLineId: 'PO-100-3',
        quantity: 1,
        unitPrice: usd(subtotal),
        discountPercent: '0',
        lineTotal: usd(subtotal),
      },
    ],
    subtotal: usd(subtotal),
    tax: usd(tax),
    total: usd(subtotal + tax),
  };
}

describe.each(DATABASE_KINDS)('ledger invariants on %s under random sequences', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await importSample(database.db);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('hold after every import, payment, correction and retry', { timeout: 300_000 }, async () => {
    const { db } = database;
    const deps = ledgerDeps(db);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 15 }), async (ops) => {
        run += 1;
        const invoices = new Map<number, bigint>();
        const posted: CorrectionRequest[] = [];
        const opening: Op[] = [0, 1, 2].map((n) => ({
          type: 'invoice',
          n,
          subtotal: 100_000n * BigInt(n + 1),
        }));
        for (const o of [...opening, ...ops]) {
          if (o.type === 'invoice') {
            await importBundle(db, { invoices: [invoiceRecord(`P${run}-INV-${o.n}`, o.subtotal)] });
            const tax = roundQuotient(o.subtotal * 825n, 10_000n);
            invoices.set(o.n, o.subtotal + tax);
          } else if (o.type === 'payment') {
            const total = invoices.get(o.invoice);
            if (total === undefined) continue;
            const payment = {
              id: `P${run}-PAY-${o.n}`,
              customerId: 'C-100',
              invoiceId: `P${run}-INV-${o.invoice}`,
              receivedAt: '2026-04-01',
              amount: usd(o.amount ?? total),
              currency: 'USD',
            };
            await importBundle(db, { payments: [payment] });
          } else if (o.type === 'correction') {
            if (!invoices.has(o.invoice)) continue;
            const invoiceId = `P${run}-INV-${o.invoice}`;
            const live = await db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
            if (live.voidedById) continue;
            const disputeId = await createDispute(db, 'C-100', invoiceId);
            const request = correctionRequest(
              disputeId,
              'C-100',
              invoiceId,
              o.kind,
              usd(o.amount),
              'USD',
              {
                installments: o.kind === 'payment_plan' ? 3 : null,
                approvedBy: o.approved ? 'manager:dev-manager' : null,
              },
            );
            try {
              await applyCorrection(deps, request);
              posted.push(request);
            } catch (error) {
              // Refused for good (e.g. more credit than billed): nothing may have been written.
              expect(error).toBeInstanceOf(ApplicationFailure);
              expect((error as ApplicationFailure).nonRetryable).toBe(true);
              expect(await db.adjustment.count({ where: { disputeId } })).toBe(0);
            }
          } else {
            const request = posted[o.which % Math.max(posted.length, 1)];
            if (!request) continue;
            const before = await db.ledgerPosting.count();
            await applyCorrection(deps, request);
            expect(await db.ledgerPosting.count()).toBe(before);
          }
          expect((await checkLedgerInDatabase(db)).violations).toEqual([]);
        }
      }),
      { numRuns: 20 },
    );
  });
});

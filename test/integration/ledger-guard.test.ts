// The posting guard against real SQLite and PostgreSQL: disputes racing to post on one invoice, a
// retried posting, the dry run, and random sequences of postings and reversals on one invoice —
// an invoice's corrections never exceed its discrepancy, whatever dispute they come from.
import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdjustmentDto, CorrectionKind } from '../../domain/ledger/correction';
import { correctedSoFar, withinDiscrepancy } from '../../domain/ledger/correction-effect';
import { formatAmount, money } from '../../domain/money';
import { invoiceFamily, postedCorrections } from '../../store/ledger/posted';
import { checkLedgerInDatabase } from '../../store/ledger/snapshot';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import {
  applyCorrection,
  correctionRequest,
  createDispute,
  importPricedInvoice,
  importSample,
  ledgerDeps,
  reversalRequest,
  runLedgerActivity,
} from '../support/ledger';

type Outcome = { posted: AdjustmentDto[] } | { refused: string };

async function outcomeOf(promise: Promise<AdjustmentDto[]>): Promise<Outcome> {
  try {
    return { posted: await promise };
  } catch (error) {
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).nonRetryable).toBe(true);
    return { refused: (error as ApplicationFailure).type ?? 'untyped' };
  }
}

const usd = (minor: bigint): string => formatAmount(money(minor, 'USD'));

describe.each(DATABASE_KINDS)('the posting guard on %s', (kind) => {
  let database: TestDatabase;
  const deps = (): ReturnType<typeof ledgerDeps> => ledgerDeps(database.db);
  let invoices = 0;
  /** A fresh C-100 invoice the rules find 108.25 overcharged (320.00) or undercharged (300.00). */
  const freshInvoice = async (unitPrice = '320.00'): Promise<string> => {
    invoices += 1;
    const id = `G-${kind.slice(0, 2).toUpperCase()}-${invoices}`;
    await importPricedInvoice(database.db, id, unitPrice);
    return id;
  };
  const corrected = async (invoiceId: string): Promise<bigint> =>
    correctedSoFar(
      await postedCorrections(database.db, (await invoiceFamily(database.db, invoiceId)).ids),
    );

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await importSample(database.db);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('two disputes posting the whole overcharge at once: one posts, the other is refused', async () => {
    for (const [a, b] of [
      ['credit_note', 'credit_note'],
      ['credit_note', 'corrected_invoice'],
      ['refund', 'corrected_invoice'],
    ] as const) {
      const invoiceId = await freshInvoice();
      const [first, second] = await Promise.all([
        createDispute(database.db, 'C-100', invoiceId),
        createDispute(database.db, 'C-100', invoiceId),
      ]);
      const outcomes = await Promise.all([
        outcomeOf(
          applyCorrection(deps(), correctionRequest(first, 'C-100', invoiceId, a, '108.25')),
        ),
        outcomeOf(
          applyCorrection(deps(), correctionRequest(second, 'C-100', invoiceId, b, '108.25')),
        ),
      ]);
      const winners = outcomes.flatMap((o) => ('posted' in o ? [o.posted[0]!.kind] : []));
      expect(winners).toHaveLength(1);
      // The loser finds nothing left to correct, or its invoice voided by the winner's replacement.
      expect(outcomes.filter((o) => 'refused' in o)).toEqual([
        {
          refused:
            winners[0] === 'corrected_invoice' ? 'InvalidCorrection' : 'UnjustifiedCorrection',
        },
      ]);
      expect(await corrected(invoiceId)).toBe(10825n);
    }
    expect((await checkLedgerInDatabase(database.db)).violations).toEqual([]);
  });

  it('many disputes racing with parts of it: the total posted never passes D', async () => {
    const invoiceId = await freshInvoice();
    const disputes = await Promise.all(
      Array.from({ length: 8 }, () => createDispute(database.db, 'C-100', invoiceId)),
    );
    // 8 × 30.00 asked for, 108.25 justified: exactly three fit.
    const outcomes = await Promise.all(
      disputes.map((d, i) =>
        outcomeOf(
          applyCorrection(
            deps(),
            correctionRequest(d, 'C-100', invoiceId, i % 2 ? 'credit_note' : 'refund', '30.00'),
          ),
        ),
      ),
    );
    expect(outcomes.filter((o) => 'posted' in o)).toHaveLength(3);
    expect(await corrected(invoiceId)).toBe(9000n);
    expect((await checkLedgerInDatabase(database.db)).violations).toEqual([]);
  });

  it('a retried posting returns what was posted, even once the invoice is fully corrected', async () => {
    const invoiceId = await freshInvoice('300.00');
    const disputeId = await createDispute(database.db, 'C-100', invoiceId);
    const request = correctionRequest(disputeId, 'C-100', invoiceId, 'debit_note', '108.25');
    const first = await applyCorrection(deps(), request);
    const again = await Promise.all([
      applyCorrection(deps(), request),
      applyCorrection(deps(), request),
    ]);
    expect(again).toEqual([first, first]);
    expect(await corrected(invoiceId)).toBe(-10825n);
    // The dry run of the same step says ok; of a new step, that nothing is left.
    expect(await runLedgerActivity(deps(), 'checkCorrection', request)).toEqual({ ok: true });
    expect(
      await runLedgerActivity(deps(), 'checkCorrection', { ...request, step: 'correction.2' }),
    ).toMatchObject({ ok: false, problem: 'UnjustifiedCorrection' });
  });

  it('the dry run answers as posting would and writes nothing', async () => {
    const invoiceId = await freshInvoice();
    const disputeId = await createDispute(database.db, 'C-100', invoiceId);
    const { db } = database;
    const before = {
      sequences: await db.documentSequence.findMany({ orderBy: { prefix: 'asc' } }),
      postings: await db.ledgerPosting.count(),
      invoices: await db.invoice.findMany({ orderBy: { id: 'asc' } }),
    };
    const check = (k: CorrectionKind, amount: string, extra = {}): Promise<unknown> =>
      runLedgerActivity(
        deps(),
        'checkCorrection',
        correctionRequest(disputeId, 'C-100', invoiceId, k, amount, 'USD', extra),
      );
    expect(await check('corrected_invoice', '108.25')).toEqual({ ok: true });
    expect(await check('credit_note', '900.00', { approvedBy: 'manager:m' })).toMatchObject({
      ok: false,
      problem: 'UnjustifiedCorrection',
      message: expect.stringContaining('at most 108.25 can still be credited'),
    });
    expect(await check('payment_plan', '50.00', { installments: 2 })).toMatchObject({
      ok: false,
      problem: 'InvalidCorrection',
      message: expect.stringContaining('payment_plan does not correct an overcharge'),
    });
    expect(await check('credit_note', '10.00', { invoiceId: 'NOPE' })).toMatchObject({
      ok: false,
      problem: 'MissingRecord',
    });
    expect(await db.documentSequence.findMany({ orderBy: { prefix: 'asc' } })).toEqual(
      before.sequences,
    );
    expect(await db.ledgerPosting.count()).toBe(before.postings);
    expect(await db.invoice.findMany({ orderBy: { id: 'asc' } })).toEqual(before.invoices);
  });

  it('basis review: the reviewed findings are D, and C still counts every dispute', async () => {
    const invoiceId = await freshInvoice('310.00'); // the rules find nothing
    const byRules = await createDispute(database.db, 'C-100', invoiceId);
    expect(
      await outcomeOf(
        applyCorrection(
          deps(),
          correctionRequest(byRules, 'C-100', invoiceId, 'credit_note', '1.00'),
        ),
      ),
    ).toEqual({ refused: 'UnjustifiedCorrection' });
    const reviewed = await createDispute(database.db, 'C-100', invoiceId, '40.00');
    const request = correctionRequest(reviewed, 'C-100', invoiceId, 'credit_note', '25.00', 'USD', {
      basis: 'review',
    });
    await applyCorrection(deps(), request);
    const another = await createDispute(database.db, 'C-100', invoiceId, '40.00');
    expect(
      await outcomeOf(
        applyCorrection(deps(), {
          ...request,
          disputeId: another,
          amount: { amount: '15.01', currency: 'USD' },
        }),
      ),
    ).toEqual({ refused: 'UnjustifiedCorrection' });
    const [posted] = await applyCorrection(deps(), {
      ...request,
      disputeId: another,
      amount: { amount: '15.00', currency: 'USD' },
    });
    expect(posted!.details).toMatchObject({
      guard: {
        basis: 'review',
        discrepancy: { amount: '40.00' },
        correctedBefore: { amount: '25.00' },
      },
    });
  });

  it(
    'random postings and reversals on one invoice never take its corrections past D',
    { timeout: 600_000 },
    async () => {
      const { db } = database;
      const step = fc.oneof(
        {
          weight: 3,
          arbitrary: fc.record({
            type: fc.constant('post' as const),
            dispute: fc.nat(2),
            kind: fc.constantFrom<CorrectionKind>(
              'credit_note',
              'refund',
              'corrected_invoice',
              'debit_note',
              'write_off',
              'payment_plan',
            ),
            amount: fc.bigInt({ min: 1n, max: 12_000n }),
            basis: fc.constantFrom('rules' as const, 'review' as const),
          }),
        },
        fc.record({ type: fc.constant('reverse' as const), which: fc.nat(10) }),
        fc.record({ type: fc.constant('retry' as const), which: fc.nat(10) }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('320.00', '300.00', '330.00'),
          fc.array(step, { minLength: 1, maxLength: 8 }),
          async (price, steps) => {
            const invoiceId = await freshInvoice(price);
            const d = price === '300.00' ? -10825n : price === '320.00' ? 10825n : 21650n;
            const disputes = await Promise.all(
              [0, 1, 2].map(() => createDispute(db, 'C-100', invoiceId, usd(d))),
            );
            const requests: Parameters<typeof applyCorrection>[1][] = [];
            let n = 0;
            for (const s of steps) {
              n += 1;
              if (s.type === 'post') {
                const request = correctionRequest(
                  disputes[s.dispute]!,
                  'C-100',
                  invoiceId,
                  s.kind,
                  usd(s.amount),
                  'USD',
                  {
                    basis: s.basis,
                    step: `correction.${n}`,
                    installments: s.kind === 'payment_plan' ? 2 : null,
                  },
                );
                const outcome = await outcomeOf(applyCorrection(deps(), request));
                if ('posted' in outcome) requests.push(request);
              } else if (s.type === 'retry') {
                const request = requests[s.which % Math.max(requests.length, 1)];
                if (request) await applyCorrection(deps(), request);
              } else {
                const documents = await db.adjustment.findMany({
                  where: { dispute: { invoiceId }, kind: { not: 'reversal' } },
                  orderBy: { documentNumber: 'asc' },
                });
                const target = documents[s.which % Math.max(documents.length, 1)];
                if (!target) continue;
                const outcome = await outcomeOf(
                  runLedgerActivity(
                    deps(),
                    'reverseCorrection',
                    reversalRequest(
                      target.disputeId,
                      'C-100',
                      invoiceId,
                      target.documentNumber,
                      `reversal.${n}`,
                    ),
                  ),
                );
                if ('refused' in outcome) expect(outcome.refused).toBe('InvalidCorrection');
              }
              expect(withinDiscrepancy(await corrected(invoiceId), d)).toBe(true);
            }
            expect((await checkLedgerInDatabase(db)).violations).toEqual([]);
          },
        ),
        { numRuns: kind === 'sqlite' ? 12 : 6 },
      );
    },
  );
});

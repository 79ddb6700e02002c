// Reversals and payment plans against real SQLite and PostgreSQL: a reversal mirrors every
// document of its correction once, re-instates a corrected invoice's original and cancels a plan's
// unpaid installments; payments recorded later settle installments oldest first.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBundle } from '../../store/billing/import';
import { loadInvestigationInput } from '../../store/billing/records';
import { postCorrection } from '../../store/ledger/corrections';
import { checkLedgerInDatabase } from '../../store/ledger/snapshot';
import { investigateInvoice } from '../../domain/investigation';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import {
  applyCorrection,
  correctionRequest,
  createDispute,
  importPricedInvoice,
  importSample,
  ledgerDeps,
  postingsOf,
  reversalRequest,
  runLedgerActivity,
} from '../support/ledger';
import { waitFor } from '../support/temporal';

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

/** Net amount per account of some postings' entries. */
function net(
  postings: { entries: { account: string; amount: bigint }[] }[],
): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const e of postings.flatMap((p) => p.entries))
    out[e.account] = (out[e.account] ?? 0n) + e.amount;
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== 0n));
}

function payment(id: string, invoiceId: string, amount: string): Record<string, unknown> {
  return { id, customerId: 'C-100', invoiceId, receivedAt: '2026-07-01', amount, currency: 'USD' };
}

describe.each(DATABASE_KINDS)('reversals and payment plans on %s', (kind) => {
  let database: TestDatabase;
  const deps = (): ReturnType<typeof ledgerDeps> => ledgerDeps(database.db);
  const reverse = (
    request: ReturnType<typeof reversalRequest>,
  ): ReturnType<typeof runLedgerActivity<'reverseCorrection'>> =>
    runLedgerActivity(deps(), 'reverseCorrection', request);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await importSample(database.db);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('reverses every document of a refund once, each the mirror of its original', async () => {
    const { db } = database;
    await importPricedInvoice(db, 'R-REFUND', '320.00');
    await importBundle(db, { payments: [payment('R-REFUND-PAY', 'R-REFUND', '3464.00')] });
    const disputeId = await createDispute(db, 'C-100', 'R-REFUND');
    const posted = await applyCorrection(
      deps(),
      correctionRequest(disputeId, 'C-100', 'R-REFUND', 'refund', '108.25'),
    );
    expect(posted.map((a) => a.kind)).toEqual(['credit_note', 'refund']);
    const request = reversalRequest(disputeId, 'C-100', 'R-REFUND', posted[1]!.documentNumber);
    const reversals = await reverse(request);
    expect(reversals.map((r) => [r.kind, r.amount.amount, r.details.reverses])).toEqual([
      ['reversal', '108.25', posted[1]!.documentNumber],
      ['reversal', '108.25', posted[0]!.documentNumber],
    ]);
    expect(reversals.map((r) => r.documentNumber)).toEqual([
      expect.stringMatching(/^RV-\d{6}$/),
      expect.stringMatching(/^RV-\d{6}$/),
    ]);
    expect(reversals[0]!.details).toMatchObject({
      reason: 'Posted on the wrong basis',
      reversedBy: 'manager:mgr',
      invoiceId: 'R-REFUND',
    });
    // The books are back where they were: the originals and their reversals net to nothing.
    expect(net(await postingsOf(db, [...posted, ...reversals]))).toEqual({});
    // Billing systems hear of it once, in the reversal's transaction: adjustment.reversed.
    const reported = async (): Promise<unknown[]> =>
      (await db.webhookEvent.findMany({ where: { disputeId, type: 'adjustment.reversed' } })).map(
        (e) => JSON.parse(e.data),
      );
    expect(await reported()).toEqual([
      {
        disputeId,
        customerId: 'C-100',
        invoiceId: 'R-REFUND',
        reason: 'Posted on the wrong basis',
        reversedBy: 'manager:mgr',
        documents: reversals.map((r, i) => ({
          documentNumber: r.documentNumber,
          reverses: posted[1 - i]!.documentNumber,
          reversedKind: posted[1 - i]!.kind,
          amount: r.amount,
          tax: r.tax,
          issuedAt: r.createdAt,
          invoiceId: 'R-REFUND',
        })),
      },
    ]);
    // Idempotent by key; a second reversal of the same correction is refused.
    expect(await reverse(request)).toEqual(reversals);
    expect(await reported()).toHaveLength(1);
    const again = await failureOf(reverse({ ...request, step: 'reversal.2' }));
    expect([again.type, again.nonRetryable]).toEqual(['InvalidCorrection', true]);
    expect(again.message).toMatch(/already reversed by RV-/);
    const ofReversal = await failureOf(
      reverse({ ...request, step: 'reversal.3', documentNumber: reversals[0]!.documentNumber }),
    );
    expect(ofReversal.type).toBe('InvalidCorrection');
    // Nothing was edited: the originals are still there, as posted.
    expect(await db.adjustment.count({ where: { disputeId } })).toBe(4);
    // With its credit reversed, the overcharge can be corrected again.
    await applyCorrection(
      deps(),
      correctionRequest(disputeId, 'C-100', 'R-REFUND', 'credit_note', '108.25', 'USD', {
        step: 'correction.2',
      }),
    );
    expect((await checkLedgerInDatabase(db)).violations).toEqual([]);
  });

  it('refuses an unknown document, another dispute’s and another invoice’s', async () => {
    const { db } = database;
    await importPricedInvoice(db, 'R-OTHER', '320.00');
    const mine = await createDispute(db, 'C-100', 'R-OTHER');
    const theirs = await createDispute(db, 'C-100', 'R-OTHER');
    const [credit] = await applyCorrection(
      deps(),
      correctionRequest(theirs, 'C-100', 'R-OTHER', 'credit_note', '10.00'),
    );
    const unknown = await failureOf(
      reverse(reversalRequest(mine, 'C-100', 'R-OTHER', 'CN-999999')),
    );
    expect([unknown.type, unknown.nonRetryable]).toEqual(['MissingRecord', true]);
    const notMine = await failureOf(
      reverse(reversalRequest(mine, 'C-100', 'R-OTHER', credit!.documentNumber)),
    );
    expect(notMine.type).toBe('InvalidCorrection');
    expect(notMine.message).toContain(`was posted for dispute ${theirs}`);
    const wrongInvoice = await failureOf(
      reverse(reversalRequest(theirs, 'C-100', 'INV-1001', credit!.documentNumber)),
    );
    expect(wrongInvoice.type).toBe('InvalidCorrection');
    expect(await db.adjustment.count({ where: { kind: 'reversal', disputeId: theirs } })).toBe(0);
  });

  it('a corrected invoice that raised an undercharged total: reversed, the original applies again', async () => {
    const { db } = database;
    await importPricedInvoice(db, 'R-RAISE', '300.00');
    const disputeId = await createDispute(db, 'C-100', 'R-RAISE');
    const [corrected] = await applyCorrection(
      deps(),
      correctionRequest(disputeId, 'C-100', 'R-RAISE', 'corrected_invoice', '108.25'),
    );
    const replacement = await db.invoice.findUniqueOrThrow({
      where: { id: corrected!.documentNumber },
      include: { lines: { orderBy: { position: 'asc' } } },
    });
    // 3000.00 + 247.50 tax raised by 100.00 + 8.25: a positive correction line.
    expect([replacement.subtotal, replacement.tax, replacement.total]).toEqual([
      310000n,
      25575n,
      335575n,
    ]);
    expect(replacement.replacesId).toBe('R-RAISE');
    expect(replacement.lines.at(-1)).toMatchObject({ sku: 'CORRECTION', lineTotal: 10000n });
    // Investigated from either invoice, the family is billed right now; the scan sees nothing.
    for (const id of ['R-RAISE', corrected!.documentNumber]) {
      const result = investigateInvoice(await loadInvestigationInput(db, id, null));
      expect(result.findings.find((f) => f.rule === 'already_corrected')).toMatchObject({
        actual: corrected!.documentNumber,
        delta: { minor: 10825n },
      });
      expect([result.totalDelta.minor, result.verdict]).toEqual([0n, 'no_discrepancy']);
    }
    const reversals = await reverse(
      reversalRequest(disputeId, 'C-100', 'R-RAISE', corrected!.documentNumber),
    );
    expect(
      (await db.invoice.findUniqueOrThrow({ where: { id: 'R-RAISE' } })).voidedById,
    ).toBeNull();
    expect(
      (await db.invoice.findUniqueOrThrow({ where: { id: corrected!.documentNumber } })).voidedById,
    ).toBe(reversals[0]!.documentNumber);
    const after = investigateInvoice(await loadInvestigationInput(db, 'R-RAISE', null));
    expect([after.totalDelta.minor, after.verdict]).toEqual([-10825n, 'undercharged']);
    expect((await checkLedgerInDatabase(db)).violations).toEqual([]);
  });

  it('payments recorded later settle a plan’s installments oldest first; a reversal cancels the unpaid', async () => {
    const { db } = database;
    await importPricedInvoice(db, 'R-PLAN', '300.00'); // bills 3247.50, undercharged by 108.25
    const disputeId = await createDispute(db, 'C-100', 'R-PLAN');
    const [plan] = await applyCorrection(
      deps(),
      correctionRequest(disputeId, 'C-100', 'R-PLAN', 'payment_plan', '108.25', 'USD', {
        installments: 3,
        installmentsFrom: '2026-06-01T00:00:00Z',
      }),
    );
    const status = async (): Promise<[string, string, string][]> =>
      (await runLedgerActivity(deps(), 'paymentPlanStatus', { disputeId })).map((i) => [
        i.paid.amount,
        i.amount.amount,
        i.status,
      ]);
    expect(await status()).toEqual([
      ['0.00', '36.09', 'scheduled'],
      ['0.00', '36.08', 'scheduled'],
      ['0.00', '36.08', 'scheduled'],
    ]);
    // The invoice itself fell due first: its 3247.50 is paid before any installment.
    await importBundle(db, { payments: [payment('R-PLAN-P1', 'R-PLAN', '3247.50')] });
    expect((await status()).map(([paid]) => paid)).toEqual(['0.00', '0.00', '0.00']);
    await importBundle(db, { payments: [payment('R-PLAN-P2', 'R-PLAN', '50.00')] });
    expect(await status()).toEqual([
      ['36.09', '36.09', 'paid'],
      ['13.91', '36.08', 'scheduled'],
      ['0.00', '36.08', 'scheduled'],
    ]);
    await importBundle(db, { payments: [payment('R-PLAN-P3', 'R-PLAN', '30.00')] });
    expect(await status()).toEqual([
      ['36.09', '36.09', 'paid'],
      ['36.08', '36.08', 'paid'],
      ['7.83', '36.08', 'scheduled'],
    ]);
    // A payment re-imported with another amount moves the matching with it.
    await importBundle(db, { payments: [payment('R-PLAN-P3', 'R-PLAN', '10.00')] });
    expect((await status()).map(([paid]) => paid)).toEqual(['36.09', '23.91', '0.00']);
    expect(
      (await db.adjustment.findUniqueOrThrow({ where: { id: plan!.id } })).documentNumber,
    ).toMatch(/^PP-/);

    await reverse(reversalRequest(disputeId, 'C-100', 'R-PLAN', plan!.documentNumber));
    expect(await status()).toEqual([
      ['36.09', '36.09', 'paid'],
      ['23.91', '36.08', 'cancelled'],
      ['0.00', '36.08', 'cancelled'],
    ]);
    // A later payment no longer goes to a cancelled installment.
    await importBundle(db, { payments: [payment('R-PLAN-P4', 'R-PLAN', '20.00')] });
    expect((await status()).map(([paid, , s]) => `${paid} ${s}`)).toEqual([
      '36.09 paid',
      '23.91 cancelled',
      '0.00 cancelled',
    ]);
    expect((await checkLedgerInDatabase(db)).violations).toEqual([]);
  });

  it('a payment imported while its plan is being posted waits for it, then settles it', async () => {
    const { db } = database;
    const invoiceId = 'R-RACE';
    await importPricedInvoice(db, invoiceId, '300.00');
    await importBundle(db, { payments: [payment(`${invoiceId}-P1`, invoiceId, '3247.50')] });
    const disputeId = await createDispute(db, 'C-100', invoiceId);
    const request = correctionRequest(
      disputeId,
      'C-100',
      invoiceId,
      'payment_plan',
      '108.25',
      'USD',
      {
        installments: 3,
      },
    );
    // The plan's transaction stays open, its rows written and the invoice locked, until released.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const planWritten = new Promise<void>((resolve) => (written = resolve));
    const posting = db.$transaction(
      async (tx) => {
        await postCorrection(tx, request, new Date());
        written();
        await released;
      },
      { timeout: 60_000 },
    );
    await planWritten;
    const imported = importBundle(db, {
      payments: [payment(`${invoiceId}-P2`, invoiceId, '50.00')],
    });
    if (kind === 'postgresql') {
      // The import queues behind the plan's lock rather than matching without the plan.
      await waitFor(
        async () =>
          (
            await db.$queryRaw<{ waiting: bigint }[]>`
              SELECT count(*) AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`
          )[0]!.waiting > 0n,
        { what: 'the import to wait for the plan', timeoutMs: 15_000 },
      );
    }
    release();
    await Promise.all([posting, imported]);
    const paid = (await runLedgerActivity(deps(), 'paymentPlanStatus', { disputeId })).map(
      (i) => i.paid.amount,
    );
    expect(paid).toEqual(['36.09', '13.91', '0.00']);
  });
});

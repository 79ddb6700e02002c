// The ledger against real SQLite and PostgreSQL: imports posted once, every correction kind,
// retries and concurrent duplicates posting once, the invariants, and GET /v1/customers/{id}/ledger.
import { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInDatabase } from '../../store/ledger/snapshot';
import { buildApp } from '../../api/app';
import { loadDispute } from '../../api/disputes/dto';
import { importBundle } from '../../store/billing/import';
import { DEV_API_KEYS, loadConfig } from '../../config';
import type { AdjustmentDto } from '../../domain/ledger/correction';
import { COMPANY_ACCOUNTS as A, receivableAccount } from '../../domain/ledger/accounts';
import { DEFAULT_POLICY } from '../../domain/policy';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import {
  applyCorrection,
  correctionRequest,
  createDispute,
  importPricedInvoice,
  importSample,
  ledgerDeps,
  postingsOf,
} from '../support/ledger';
import { sampleBundle } from '../support/sample-data';
import { spawnTs } from '../support/child-process';
import { SECRETS } from '../support/stack';
import { fromRepoRoot } from '../support/temporal';

const run = promisify(execFile);

/** Net amount per account of some postings' entries. */
function net(
  postings: { entries: { account: string; amount: bigint }[] }[],
): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const e of postings.flatMap((p) => p.entries))
    out[e.account] = (out[e.account] ?? 0n) + e.amount;
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== 0n));
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe.each(DATABASE_KINDS)('ledger on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const deps = (): ReturnType<typeof ledgerDeps> => ledgerDeps(database.db);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await importSample(database.db);
    const config = loadConfig({ SETTLE_API_KEYS: DEV_API_KEYS, LOG_LEVEL: 'silent' });
    // A lazy client: the ledger route never talks to Temporal.
    app = await buildApp({
      config,
      db: database.db,
      temporal: new Client(),
      policy: DEFAULT_POLICY,
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('books every imported invoice and payment once; a re-import posts nothing', async () => {
    const { db } = database;
    const keys = (await db.ledgerPosting.findMany({ select: { idempotencyKey: true } })).map(
      (p) => p.idempotencyKey,
    );
    expect(keys.sort()).toEqual(
      [
        'invoice:INV-1001',
        'invoice:INV-1002',
        'invoice:INV-2001',
        'invoice:INV-2002',
        'invoice:INV-3001',
        'invoice:INV-3002',
        'invoice:INV-4001',
        'payment:PAY-1001',
        'payment:PAY-2001',
      ].sort(),
    );
    await importSample(db);
    expect(await db.ledgerPosting.count()).toBe(9);
    expect((await checkLedgerInDatabase(db)).violations).toEqual([]);
  });

  it('a re-import with a changed amount reverses and re-posts, never edits', async () => {
    const { db } = database;
    const bundle = sampleBundle() as {
      invoices: { id: string; total: string; tax: string; subtotal: string }[];
      payments: unknown[];
    };
    const changed = {
      ...bundle,
      invoices: bundle.invoices
        .filter((i) => i.id === 'INV-3001')
        .map((i) => ({ ...i, subtotal: '33544.00', tax: '6708.80', total: '40252.80' })),
      payments: [],
    };
    const before = await db.ledgerEntry.findMany({ orderBy: { id: 'asc' } });
    await importBundle(db, changed);
    const keys = (
      await db.ledgerPosting.findMany({
        where: { idempotencyKey: { startsWith: 'invoice:INV-3001' } },
        orderBy: { postedAt: 'asc' },
      })
    ).map((p) => p.idempotencyKey);
    expect(keys).toEqual(['invoice:INV-3001', 'invoice:INV-3001#reversal', 'invoice:INV-3001#r2']);
    // Every earlier entry is untouched.
    expect(
      await db.ledgerEntry.findMany({
        where: { id: { lte: before.at(-1)!.id } },
        orderBy: { id: 'asc' },
      }),
    ).toEqual(before);
    await importSample(db);
    expect((await checkLedgerInDatabase(db)).violations).toEqual([]);
  });

  it('refund on the overcharged, paid invoice: one credit note and one refund of the agreed amount each', async () => {
    const { db } = database;
    const disputeId = await createDispute(db, 'C-200', 'INV-2001');
    const adjustments = await applyCorrection(
      deps(),
      correctionRequest(disputeId, 'C-200', 'INV-2001', 'refund', '3066.19'),
    );
    expect(adjustments.map((a) => [a.kind, a.amount.amount, a.tax.amount])).toEqual([
      ['credit_note', '3066.19', '200.59'],
      ['refund', '3066.19', '0.00'],
    ]);
    expect(adjustments[0]!.documentNumber).toMatch(/^CN-\d{6}$/);
    expect(adjustments[1]!.documentNumber).toMatch(/^RF-\d{6}$/);
    expect(adjustments[1]!.details).toMatchObject({ settles: adjustments[0]!.documentNumber });
    const postings = await postingsOf(db, adjustments);
    expect(postings).toHaveLength(2);
    expect(net(postings)).toEqual({
      [A.contraRevenue]: 286560n,
      [A.taxPayable]: 20059n,
      [A.refundsPayable]: -306619n,
    });
    expect((await checkLedgerInDatabase(db)).violations).toEqual([]);
  });

  it('credit note, corrected invoice, debit note, write-off and payment plan each post balanced entries with tax split', async () => {
    const { db } = database;
    const post = async (
      customerId: string,
      invoiceId: string,
      k: Parameters<typeof correctionRequest>[3],
      amount: string,
      currency = 'USD',
      extra = {},
    ): Promise<AdjustmentDto> => {
      const disputeId = await createDispute(db, customerId, invoiceId);
      const [adjustment, ...rest] = await applyCorrection(
        deps(),
        correctionRequest(disputeId, customerId, invoiceId, k, amount, currency, extra),
      );
      expect(rest).toEqual([]);
      const [posting] = await postingsOf(db, [adjustment!]);
      expect(posting!.entries.reduce((s, e) => s + e.amount, 0n)).toBe(0n);
      expect(posting!.description).toContain(adjustment!.documentNumber);
      return adjustment!;
    };

    const credit = await post('C-200', 'INV-2002', 'credit_note', '1027.20');
    expect(credit).toMatchObject({ kind: 'credit_note', tax: { amount: '67.20' } });

    const corrected = await post('C-300', 'INV-3002', 'corrected_invoice', '1200.00', 'EUR');
    expect(corrected).toMatchObject({ kind: 'corrected_invoice', tax: { amount: '200.00' } });
    const original = await db.invoice.findUniqueOrThrow({ where: { id: 'INV-3002' } });
    expect(original.voidedById).toBe(corrected.documentNumber);
    const replacement = await db.invoice.findUniqueOrThrow({
      where: { id: corrected.documentNumber },
      include: { lines: true },
    });
    expect([replacement.subtotal, replacement.tax, replacement.total]).toEqual([
      267650n,
      53530n,
      321180n,
    ]);
    expect(replacement.lines.reduce((s, l) => s + l.lineTotal, 0n)).toBe(replacement.subtotal);
    expect(net(await postingsOf(db, [corrected]))).toEqual({
      [receivableAccount('C-300')]: -120000n,
      [A.revenue]: 100000n,
      [A.taxPayable]: 20000n,
    });

    const debitNote = await post('C-100', 'INV-1002', 'debit_note', '19.48');
    expect(debitNote.tax.amount).toBe('1.48');

    const writeOff = await post('C-400', 'INV-4001', 'write_off', '10.60');
    expect(net(await postingsOf(db, [writeOff]))).toEqual({
      [A.revenue]: -1000n,
      [A.taxPayable]: -60n,
      [A.writeOffs]: 1060n,
    });

    const plan = await post('C-400', 'INV-4001', 'payment_plan', '300.00', 'USD', {
      installments: 3,
      installmentsFrom: '2026-07-01T00:00:00Z',
    });
    expect(plan.installments).toEqual([
      {
        number: 1,
        dueAt: '2026-07-31',
        amount: { amount: '100.00', currency: 'USD' },
        status: 'scheduled',
      },
      {
        number: 2,
        dueAt: '2026-08-30',
        amount: { amount: '100.00', currency: 'USD' },
        status: 'scheduled',
      },
      {
        number: 3,
        dueAt: '2026-09-29',
        amount: { amount: '100.00', currency: 'USD' },
        status: 'scheduled',
      },
    ]);
    const dispute = await loadDispute(
      db,
      (await db.adjustment.findUniqueOrThrow({ where: { id: plan.id } })).disputeId,
    );
    // The dispute shows the plan as posted, with its ledger posting beside it.
    expect(dispute?.adjustments).toEqual([{ ...plan, posting: expect.any(Object) }]);

    expect((await checkLedgerInDatabase(db)).violations).toEqual([]);
  });

  // INV-1001 is billed right by the rules: these disputes' reviewed findings justify the credits.
  const reviewed = { basis: 'review' } as const;

  it('a retry returns the posted adjustments and posts nothing', async () => {
    const { db } = database;
    const disputeId = await createDispute(db, 'C-100', 'INV-1001', '1000.00');
    const request = correctionRequest(
      disputeId,
      'C-100',
      'INV-1001',
      'credit_note',
      '50.00',
      'USD',
      reviewed,
    );
    const first = await applyCorrection(deps(), request);
    const postings = await db.ledgerPosting.count();
    const again = await applyCorrection(deps(), request);
    expect(again).toEqual(first);
    expect(await db.ledgerPosting.count()).toBe(postings);
  });

  /** One posting, every caller got it, and the losers' sequence numbers were rolled back (no gaps). */
  async function expectPostedOnce(
    disputeId: string,
    results: AdjustmentDto[][],
    before: { prefix: string; last: number }[],
  ): Promise<void> {
    const { db } = database;
    expect(results).toHaveLength(20);
    for (const result of results) expect(result).toEqual(results[0]);
    expect(results[0]!.map((a) => a.kind)).toEqual(['credit_note', 'refund']);
    expect(await db.adjustment.count({ where: { disputeId } })).toBe(2);
    expect(await postingsOf(db, results[0]!)).toHaveLength(2);
    const after = await db.documentSequence.findMany();
    const last = (prefix: string, rows: typeof after): number =>
      rows.find((r) => r.prefix === prefix)?.last ?? 0;
    expect(last('CN', after) - last('CN', before)).toBe(1);
    expect(last('RF', after) - last('RF', before)).toBe(1);
    expect((await checkLedgerInDatabase(db)).violations).toEqual([]);
  }

  it('20 concurrent identical corrections in one worker post once', async () => {
    const { db } = database;
    const disputeId = await createDispute(db, 'C-100', 'INV-1001', '1000.00');
    const request = correctionRequest(
      disputeId,
      'C-100',
      'INV-1001',
      'refund',
      '25.00',
      'USD',
      reviewed,
    );
    const before = await db.documentSequence.findMany();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => applyCorrection(deps(), request)),
    );
    await expectPostedOnce(disputeId, results, before);
  });

  it('20 concurrent identical corrections from four worker processes post once', async () => {
    const { db } = database;
    const disputeId = await createDispute(db, 'C-100', 'INV-1001', '1000.00');
    const request = correctionRequest(
      disputeId,
      'C-100',
      'INV-1001',
      'refund',
      '5.00',
      'USD',
      reviewed,
    );
    const before = await db.documentSequence.findMany();
    const env = {
      DATABASE_URL: database.url,
      LEDGER_REQUEST: JSON.stringify(request),
      LEDGER_COUNT: '5',
    };
    const workers = Array.from({ length: 4 }, () =>
      spawnTs('test/integration/fixtures/ledger-apply.ts', env),
    );
    await Promise.all(workers.map((w) => w.waitForLine('ready')));
    for (const w of workers) w.child.stdin.write('go\n');
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0, 0]);
    const results = workers.flatMap(
      (w) => JSON.parse(w.stdout().trim().split('\n').at(-1)!) as AdjustmentDto[][],
    );
    await expectPostedOnce(disputeId, results, before);
  });

  it('concurrent corrections of different disputes get distinct, gap-free numbers', async () => {
    const { db } = database;
    const disputes = await Promise.all(
      Array.from({ length: 10 }, () => createDispute(db, 'C-100', 'INV-1001', '1000.00')),
    );
    const results = await Promise.all(
      disputes.map((d) =>
        applyCorrection(
          deps(),
          correctionRequest(d, 'C-100', 'INV-1001', 'credit_note', '1.00', 'USD', reviewed),
        ),
      ),
    );
    const numbers = results.map((r) => Number(r[0]!.documentNumber.slice(3))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => numbers[0]! + i));
  });

  it('refuses unjustified or impossible corrections permanently, consuming no number', async () => {
    const { db } = database;
    await importPricedInvoice(db, 'INV-GUARD-1', '320.00');
    const disputeId = await createDispute(db, 'C-100', 'INV-GUARD-1');
    const before = await db.documentSequence.findUnique({ where: { prefix: 'CN' } });
    // The rules find 108.25 overcharged; a manager's approval does not allow a cent more.
    const over = correctionRequest(
      disputeId,
      'C-100',
      'INV-GUARD-1',
      'credit_note',
      '108.26',
      'USD',
      {
        approvedBy: 'manager:dev-manager',
      },
    );
    const unjustified = await failureOf(applyCorrection(deps(), over));
    expect([unjustified.type, unjustified.nonRetryable]).toEqual(['UnjustifiedCorrection', true]);
    expect(unjustified.message).toContain('at most 108.25 can still be credited');
    const missing = await failureOf(applyCorrection(deps(), { ...over, invoiceId: 'INV-NOPE' }));
    expect([missing.type, missing.nonRetryable]).toEqual(['MissingRecord', true]);
    const wrongWay = await failureOf(
      applyCorrection(deps(), {
        ...over,
        kind: 'payment_plan',
        installments: 2,
        amount: { amount: '10.00', currency: 'USD' },
      }),
    );
    expect([wrongWay.type, wrongWay.nonRetryable]).toEqual(['InvalidCorrection', true]);
    expect(await db.adjustment.count({ where: { disputeId } })).toBe(0);
    expect(await db.documentSequence.findUnique({ where: { prefix: 'CN' } })).toEqual(before);
    // Exactly the discrepancy posts, with the approval and the guard's figures on record.
    const [posted] = await applyCorrection(deps(), {
      ...over,
      amount: { amount: '108.25', currency: 'USD' },
    });
    expect(posted!.details).toMatchObject({
      approvedBy: 'manager:dev-manager',
      guard: {
        basis: 'rules',
        discrepancy: { amount: '108.25', currency: 'USD' },
        correctedBefore: { amount: '0.00', currency: 'USD' },
        effect: { amount: '108.25', currency: 'USD' },
      },
    });
  });

  it('GET /v1/customers/{id}/ledger: entries newest first, balances per account, 404, roles', async () => {
    const get = async (
      url: string,
      role: keyof typeof SECRETS | null = 'auditor',
    ): Promise<{ status: number; body: any }> => {
      const response = await app.inject({
        method: 'GET',
        url,
        headers: role ? { authorization: `Bearer ${SECRETS[role]}` } : {},
      });
      return { status: response.statusCode, body: JSON.parse(response.body) };
    };
    const ledger = await get('/v1/customers/C-200/ledger?limit=500');
    expect(ledger.status).toBe(200);
    const { body } = ledger;
    expect(body.customerId).toBe('C-200');
    const ids = body.entries.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(body.entries[0]).toMatchObject({
      account: expect.any(String),
      side: expect.stringMatching(/^(debit|credit)$/),
      amount: { currency: 'USD' },
    });
    const balance = (account: string): string | undefined =>
      body.balances.find((b: { account: string }) => b.account === account)?.balance.amount;
    // INV-2001 + INV-2002 billed, INV-2001 paid, its overcharge credited and refunded, INV-2002's credited.
    expect(balance('receivable:C-200')).toBe('9244.80');
    expect(body.receivable).toEqual([{ amount: '9244.80', currency: 'USD' }]);
    expect(balance(A.refundsPayable)).toBe('-3066.19');
    expect(body.balances.find((b: { account: string }) => b.account === A.cash)).toMatchObject({
      type: 'asset',
      balance: { amount: '44811.60' },
    });
    const total = body.balances.reduce(
      (s: bigint, b: { balance: { amount: string } }) =>
        s + BigInt(b.balance.amount.replace('.', '')),
      0n,
    );
    expect(total).toBe(0n);
    const withDocument = body.entries.find((e: { documentNumber: string | null }) =>
      e.documentNumber?.startsWith('RF-'),
    );
    expect(withDocument.disputeId).toMatch(/^D-/);

    const page1 = await get('/v1/customers/C-200/ledger?limit=2', 'agent');
    expect(page1.body.entries).toHaveLength(2);
    const page2 = await get(
      `/v1/customers/C-200/ledger?limit=2&cursor=${page1.body.nextCursor}`,
      'operations',
    );
    expect(page2.body.entries[0].id).toBe(body.entries[2].id);

    expect((await get('/v1/customers/C-999/ledger')).status).toBe(404);
    expect((await get('/v1/customers/%20C-200/ledger')).status).toBe(400);
    const openapi = await get('/openapi.json', null);
    expect(Object.keys(openapi.body.paths)).toContain('/v1/customers/{id}/ledger');
    expect((await get('/v1/customers/C-200/ledger', null)).status).toBe(401);
    expect((await get('/v1/customers/C-200/ledger?cursor=abc')).status).toBe(400);
    expect((await get('/v1/customers/C-200/ledger?cursor=99999999999')).status).toBe(400);
    expect((await get('/v1/customers/C-200/ledger?cursor=2147483647')).status).toBe(200);
    expect((await get('/v1/customers/C-200/ledger?limit=0')).status).toBe(400);
    expect((await get('/v1/customers/C-200/ledger?other=1')).status).toBe(400);
  });

  it('npm run ledger:check prints the table and exits 0; a broken posting makes it exit 1', async () => {
    const script = ['--import', 'tsx', fromRepoRoot('scripts/ledger-check.ts')];
    const env = { ...process.env, DATABASE_URL: database.url };
    const ok = await run(process.execPath, script, { env, cwd: fromRepoRoot() });
    expect(ok.stdout).toMatch(/C-200\s+USD\s+9244\.80\s+9244\.80\s+ok/);
    expect(ok.stdout).toContain('no violations');

    const { db } = database;
    await db.ledgerPosting.create({
      data: {
        id: 'broken',
        idempotencyKey: 'test:broken',
        customerId: 'C-100',
        description: 'broken',
        entries: {
          create: [
            {
              account: receivableAccount('C-100'),
              customerId: 'C-100',
              amount: 1n,
              currency: 'USD',
            },
          ],
        },
      },
    });
    const failed = await run(process.execPath, script, { env, cwd: fromRepoRoot() }).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/unbalanced_posting\s+test:broken/);
    expect(failed?.stdout).toMatch(/receivable_mismatch\s+customer C-100/);
  });
});

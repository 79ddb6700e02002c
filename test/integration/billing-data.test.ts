// Billing data that does not fit: imports refuse it with 422 and its path (issue 10 item 8, issue
// 13 item 6), and data that got in anyway stops an investigation for good instead of retrying.
import { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvestigationActivities } from '../../activities/investigation';
import { createMonitoringActivities } from '../../activities/monitoring';
import { buildApp } from '../../api/app';
import { DEV_API_KEYS, loadConfig } from '../../config';
import { DEFAULT_POLICY } from '../../domain/policy';
import { importBundle } from '../../store/billing/import';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import { createDispute, importPricedInvoice, importSample, ledgerDeps } from '../support/ledger';
import { sampleBundle } from '../support/sample-data';
import { SECRETS } from '../support/stack';

type Invoice = Record<string, unknown> & { id: string; lines: Record<string, unknown>[] };

/** A copy of a sample invoice under another id (its lines renamed to match). */
function invoiceLike(
  id: string,
  from = 'INV-1001',
  changes: Record<string, unknown> = {},
): Invoice {
  const original = (sampleBundle() as { invoices: Invoice[] }).invoices.find((i) => i.id === from)!;
  return {
    ...original,
    id,
    lines: original.lines.map((l, n) => ({ ...l, id: `${id}-${n + 1}` })),
    ...changes,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe.each(DATABASE_KINDS)('billing data that does not fit, on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;

  const post = async (url: string, body: unknown): Promise<{ status: number; body: any }> => {
    const response = await app.inject({
      method: 'POST',
      url,
      payload: body as object,
      headers: { authorization: `Bearer ${SECRETS.operations}` },
    });
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };
  const problems = (got: { body: any }): [string, string][] =>
    got.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await importSample(database.db);
    const config = loadConfig({ SETTLE_API_KEYS: DEV_API_KEYS, LOG_LEVEL: 'silent' });
    // A lazy client: imports never talk to Temporal.
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

  it('an invoice or payment in another currency than its stored customer’s: 422 with the path', async () => {
    const got = await post('/v1/import', {
      invoices: [invoiceLike('INV-EUR', 'INV-1001', { currency: 'EUR' })],
      payments: [
        {
          id: 'PAY-EUR',
          customerId: 'C-100',
          invoiceId: 'INV-1001',
          receivedAt: '2026-04-01',
          amount: '10.00',
          currency: 'EUR',
        },
      ],
    });
    expect(got.status).toBe(422);
    expect(problems(got)).toEqual([
      ['$.invoices[0].currency', 'must be USD, the currency of customer C-100'],
      ['$.payments[0].currency', 'must be USD, the currency of customer C-100'],
    ]);
    // POST /v1/invoices answers the same, with paths relative to its body.
    const single = await post(
      '/v1/invoices',
      invoiceLike('INV-EUR', 'INV-1001', { currency: 'EUR' }),
    );
    expect(single.status).toBe(422);
    expect(problems(single)).toEqual([
      ['$.currency', 'must be USD, the currency of customer C-100'],
    ]);
    expect(await database.db.invoice.count({ where: { id: 'INV-EUR' } })).toBe(0);
  });

  it('a customer cannot change currency under invoices left in the old one', async () => {
    const customer = (sampleBundle() as { customers: { id: string }[] }).customers.find(
      (c) => c.id === 'C-400',
    )!;
    const got = await post('/v1/import', { customers: [{ ...customer, currency: 'EUR' }] });
    expect(got.status).toBe(422);
    expect(problems(got)).toEqual([
      [
        '$.customers[0].currency',
        'customer C-400 has invoices in USD (INV-4001); its currency cannot become EUR',
      ],
    ]);
  });

  it('Settle’s own document numbers are reserved', async () => {
    const got = await post('/v1/import', {
      invoices: [invoiceLike('CI-000001'), invoiceLike('RV-000042'), invoiceLike('CI-00001')],
    });
    expect(got.status).toBe(422);
    expect(problems(got)).toEqual([
      [
        '$.invoices[0].id',
        'CI-000001 is a Settle document number; imported invoices cannot use one',
      ],
      [
        '$.invoices[1].id',
        'RV-000042 is a Settle document number; imported invoices cannot use one',
      ],
    ]);
  });

  it('an invoice under an open dispute keeps its customer and currency; closed, it may change', async () => {
    const { db } = database;
    await importPricedInvoice(db, 'INV-HELD', '320.00');
    const disputeId = await createDispute(db, 'C-100', 'INV-HELD');
    const held = (await db.invoice.findUniqueOrThrow({ where: { id: 'INV-HELD' } })).customerId;
    expect(held).toBe('C-100');
    const moved = invoiceLike('INV-HELD', 'INV-2002');
    const got = await post('/v1/import', { invoices: [moved] });
    expect(got.status).toBe(422);
    expect(problems(got)).toEqual([
      [
        '$.invoices[0].customerId',
        `invoice INV-HELD has open dispute ${disputeId}: its customer stays C-100 until the dispute is closed`,
      ],
    ]);
    await db.dispute.update({ where: { id: disputeId }, data: { phase: 'closed', openKey: null } });
    expect((await post('/v1/import', { invoices: [moved] })).status).toBe(200);
  });

  // The activities' classification does not depend on the database.
  it.runIf(kind === 'sqlite')(
    'bad data that got in stops investigation and monitoring for good, with the reason',
    async () => {
      const { db } = database;
      await importPricedInvoice(db, 'INV-BAD', '320.00');
      const disputeId = await createDispute(db, 'C-100', 'INV-BAD');
      // What an older import let through: the invoice in EUR, its customer in USD.
      await db.invoice.update({ where: { id: 'INV-BAD' }, data: { currency: 'EUR' } });
      const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
      const deps = ledgerDeps(db);
      const investigation = await failureOf(
        env.run(() =>
          createInvestigationActivities(deps).investigate({
            disputeId,
            invoiceId: 'INV-BAD',
            reason: 'pricing_error',
          }),
        ),
      );
      expect([investigation.type, investigation.nonRetryable]).toEqual([
        'InvalidBillingData',
        true,
      ]);
      expect(investigation.message).toBe(
        'investigate cannot run on invoice INV-BAD: invoice INV-BAD is in EUR but customer C-100 is billed in USD',
      );
      expect(investigation.details).toEqual([
        {
          invoiceId: 'INV-BAD',
          reason: 'invoice INV-BAD is in EUR but customer C-100 is billed in USD',
        },
      ]);
      const recurrence = await failureOf(
        env.run(() =>
          createMonitoringActivities(deps).checkRecurrence({
            disputeId,
            invoiceId: 'INV-BAD',
            rules: ['pricing'],
          }),
        ),
      );
      expect([recurrence.type, recurrence.nonRetryable]).toEqual(['InvalidBillingData', true]);
      const missing = await failureOf(
        env.run(() =>
          createInvestigationActivities(deps).investigate({
            disputeId,
            invoiceId: 'INV-GONE',
            reason: null,
          }),
        ),
      );
      expect([missing.type, missing.nonRetryable]).toEqual(['MissingRecord', true]);
      await importBundle(db, sampleBundle()); // the sample still imports
    },
  );
});

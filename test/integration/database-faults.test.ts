// Database faults answer 503 with Retry-After, never 500: a PostgreSQL server stopped under a
// running API (a cluster of this test's own, so the shared one keeps serving other tests), and a
// SQLite file locked by another writer past the busy timeout. When the database is back, the same
// API serves again without a restart.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, registeredRoutes } from '../../api/app';
import { CONSOLE_DIST } from '../../api/console/assets';
import { DEV_API_KEYS, loadConfig, type Role } from '../../config';
import { DEFAULT_POLICY } from '../../domain/policy';
import { mintLink } from '../../store/customer-links/links';
import { signLinkToken } from '../../store/customer-links/token';
import { createPrisma, type Db } from '../../store/db';
import { migrateDatabase } from '../../store/migrate';
import { customerBundle, disputeBody, invoiceRecord, orderRecords } from '../support/api-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { SECRETS } from '../support/stack';
import { startDevServerEnv, uniqueId } from '../support/temporal';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';

const CUSTOMER = 'C-FAULT';

interface Call {
  url: string;
  role: Role;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A request each route accepts up to the point where it reads the database. A route missing here
 * fails the test: every route the API serves must be proven against a database outage.
 */
function requests(id: string): Record<string, Call> {
  const action = (path: string, body: unknown, role: Role = 'manager'): Call => ({
    url: `/v1/disputes/${id}/${path}`,
    role,
    body,
    headers: { 'idempotency-key': uniqueId(path) },
  });
  return {
    'POST /v1/import': {
      url: '/v1/import',
      role: 'operations',
      body: customerBundle('C-FAULT-2', [{ id: 'INV-FAULT-20', billed: '150.00' }]),
    },
    'POST /v1/invoices': {
      url: '/v1/invoices',
      role: 'operations',
      body: invoiceRecord(CUSTOMER, { id: 'INV-FAULT-9', billed: '100.00' }),
    },
    'POST /v1/disputes': {
      url: '/v1/disputes',
      role: 'agent',
      body: disputeBody(CUSTOMER, 'INV-FAULT-2'),
      headers: { 'idempotency-key': uniqueId('open') },
    },
    'GET /v1/disputes': { url: '/v1/disputes?limit=5', role: 'auditor' },
    'GET /v1/disputes/:id': { url: `/v1/disputes/${id}`, role: 'auditor' },
    'POST /v1/disputes/:id/assign': action('assign', { assignee: 'agent-7' }),
    'POST /v1/disputes/:id/notes': action('notes', { text: 'checked the contract' }),
    'POST /v1/disputes/:id/findings': action('findings', {
      findings: [],
      verdict: 'no_discrepancy',
    }),
    'POST /v1/disputes/:id/decision': action('decision', { resolution: 'reject' }),
    'POST /v1/disputes/:id/approval': action('approval', { approved: true }),
    'POST /v1/disputes/:id/customer-response': action('customer-response', { accepted: true }),
    'POST /v1/disputes/:id/escalate': action('escalate', { reason: 'late' }),
    'POST /v1/disputes/:id/withdraw': action('withdraw', { reason: 'paid' }),
    'POST /v1/disputes/:id/mediation-outcome': action('mediation-outcome', { agreed: false }),
    'POST /v1/disputes/:id/reopen': action('reopen', { reason: 'the customer wrote again' }),
    'POST /v1/disputes/:id/reverse': action('reverse', {
      documentNumber: 'CN-000001',
      reason: 'credited the wrong line',
    }),
    'GET /v1/reports/summary': { url: '/v1/reports/summary', role: 'auditor' },
    'GET /v1/customers/:id/ledger': { url: `/v1/customers/${CUSTOMER}/ledger`, role: 'auditor' },
    'GET /v1/invoices/:id': { url: '/v1/invoices/INV-FAULT-1', role: 'auditor' },
    'POST /v1/webhooks': {
      url: '/v1/webhooks',
      role: 'manager',
      body: { url: 'https://billing.example.com/settle-events', events: ['dispute.opened'] },
    },
    'GET /v1/webhooks': { url: '/v1/webhooks', role: 'auditor' },
    'GET /v1/webhooks/:id': { url: `/v1/webhooks/${WEBHOOK}`, role: 'auditor' },
    'DELETE /v1/webhooks/:id': { url: `/v1/webhooks/${WEBHOOK}`, role: 'manager' },
    'GET /v1/webhooks/:id/deliveries': {
      url: `/v1/webhooks/${WEBHOOK}/deliveries`,
      role: 'auditor',
    },
    'POST /v1/webhooks/:id/deliveries/:deliveryId/redeliver': {
      url: `/v1/webhooks/${WEBHOOK}/deliveries/${DELIVERY}/redeliver`,
      role: 'manager',
    },
    'POST /v1/webhooks/:id/redeliver': {
      url: `/v1/webhooks/${WEBHOOK}/redeliver`,
      role: 'manager',
      body: {},
    },
    'GET /v1/customers': { url: '/v1/customers?q=fault', role: 'auditor' },
    'GET /v1/customers/:id': { url: `/v1/customers/${CUSTOMER}`, role: 'auditor' },
    'GET /v1/customers/:id/invoices': {
      url: `/v1/customers/${CUSTOMER}/invoices`,
      role: 'auditor',
    },
    'GET /v1/reports/series': { url: '/v1/reports/series', role: 'auditor' },
    'GET /v1/disputes/:id/emails': { url: `/v1/disputes/${id}/emails`, role: 'auditor' },
    'POST /v1/disputes/:id/emails/:messageId/resend': {
      url: `/v1/disputes/${id}/emails/${encodeURIComponent(`<dispute-${id}.ack@settle.local>`)}/resend`,
      role: 'manager',
    },
    'GET /v1/customer-messages': { url: '/v1/customer-messages?unmatched=true', role: 'auditor' },
    'POST /v1/customer-messages/:id/file': {
      url: `/v1/customer-messages/${randomUUID()}/file`,
      role: 'agent',
      body: { disputeId: id },
    },
  };
}

const WEBHOOK = `whk_${'0'.repeat(24)}`;
const DELIVERY = `dlv_${'0'.repeat(24)}`;

/** The customer's page: a signed link reaches the database; the person gets a page, not JSON. */
const CUSTOMER_PAGE = ['GET /respond/:token', 'POST /respond/:token'];

async function customerPage(
  app: FastifyInstance,
  method: string,
  token: string,
): Promise<{ status: number; type: string; body: string; headers: Record<string, unknown> }> {
  const response = await app.inject({
    method: method as 'GET' | 'POST',
    url: `/respond/${token}`,
    ...(method === 'POST'
      ? {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'csrf=x&decision=accept',
        }
      : {}),
  });
  return {
    status: response.statusCode,
    type: String(response.headers['content-type']),
    body: response.body,
    headers: response.headers,
  };
}

/** Routes that never touch the database: they keep answering through the outage. */
const WITHOUT_DATABASE = ['GET /healthz', 'GET /openapi.json', 'GET /docs'];

/** The caller's own role and operations: from the key, not the database. */
const CALLER_WITHOUT_DATABASE: Record<string, Call> = {
  'GET /v1/me': { url: '/v1/me', role: 'auditor' },
};

/** The agent console's pages and assets load through the outage; its API calls then get 503. */
function consoleUrls(id: string): Record<string, string> {
  const assets = path.join(CONSOLE_DIST, 'assets');
  const asset = existsSync(assets) ? readdirSync(assets)[0] : undefined;
  return {
    'GET /': '/',
    'GET /disputes/new': '/disputes/new',
    'GET /disputes/:id': `/disputes/${id}`,
    'GET /customers/:id': `/customers/${CUSTOMER}`,
    'GET /import': '/import',
    'GET /reports': '/reports',
    'GET /assets/:file': `/assets/${asset ?? 'run-npm-run-console-build.js'}`,
  };
}

async function send(
  app: FastifyInstance,
  method: string,
  call: Call,
): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  const response = await app.inject({
    method: method as 'GET' | 'POST',
    url: call.url,
    headers: { authorization: `Bearer ${SECRETS[call.role]}`, ...call.headers },
    ...(call.body === undefined ? {} : { payload: call.body as object }),
  });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

function expectUnavailable(
  answer: { status: number; body: any; headers: Record<string, unknown> },
  label: string,
): void {
  expect({ label, status: answer.status }).toEqual({ label, status: 503 });
  expect(Number(answer.headers['retry-after']), label).toBeGreaterThan(0);
  expect(answer.body.error, label).toMatchObject({
    code: expect.stringMatching(/^(unavailable|not_ready)$/),
    message: expect.any(String),
  });
}

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

async function appOn(db: Db): Promise<FastifyInstance> {
  return buildApp({
    config: loadConfig({
      SETTLE_API_KEYS: DEV_API_KEYS,
      // No worker polls this queue: the workflows opened here wait, which is all these tests need.
      TEMPORAL_TASK_QUEUE: uniqueId('faults'),
      LOG_LEVEL: 'silent',
    }),
    db,
    temporal: env.client,
    policy: DEFAULT_POLICY,
  });
}

async function seed(app: FastifyInstance): Promise<string> {
  const bundle = customerBundle(CUSTOMER, [
    { id: 'INV-FAULT-1', billed: '150.00' },
    { id: 'INV-FAULT-2', billed: '150.00' },
  ]);
  // The order of the invoice POST /v1/invoices records later.
  const order = orderRecords(CUSTOMER, 'INV-FAULT-9');
  bundle.purchaseOrders!.push(...order.purchaseOrders);
  bundle.deliveries!.push(...order.deliveries);
  const imported = await send(app, 'POST', { url: '/v1/import', role: 'operations', body: bundle });
  expect(imported.status).toBe(200);
  const opened = await send(app, 'POST', {
    url: '/v1/disputes',
    role: 'agent',
    body: disputeBody(CUSTOMER, 'INV-FAULT-1'),
  });
  expect(opened.status).toBe(201);
  return opened.body.id as string;
}

describe('PostgreSQL stopped under a running API', () => {
  let pg: ThrowawayPostgres;
  let db: Db;
  let app: FastifyInstance;
  let id: string;

  beforeAll(async () => {
    pg = startThrowawayPostgres();
    await migrateDatabase(pg.url);
    db = await createPrisma(pg.url);
    app = await appOn(db);
    id = await seed(app);
  });
  afterAll(async () => {
    await app?.close();
    await db?.$disconnect();
    pg?.remove();
  });

  it('answers 503 with the error body and Retry-After on every route that needs it, then serves again', async () => {
    const table = requests(id);
    const consolePages = consoleUrls(id);
    // No worker runs here to queue the acknowledgement that would mint its link: mint one.
    const expiresAt = new Date(Date.now() + 3_600_000);
    const link = await mintLink(
      db,
      {
        messageId: `<faults-${id}@settle.local>`,
        disputeId: id,
        round: 0,
        purpose: 'inform',
        expiresAt,
        offer: null,
      },
      new Date(),
    );
    const token = signLinkToken(loadConfig({}).CUSTOMER_LINK_KEYS, {
      linkId: link.id,
      disputeId: id,
      round: link.round,
      exp: Math.floor(expiresAt.getTime() / 1000),
    });
    const routes = registeredRoutes(app).map((r) => `${r.method} ${r.url}`);
    const untested = routes.filter(
      (r) =>
        !(r in table) &&
        !WITHOUT_DATABASE.includes(r) &&
        !CUSTOMER_PAGE.includes(r) &&
        !(r in CALLER_WITHOUT_DATABASE) &&
        !(r in consolePages) &&
        r !== 'GET /readyz' &&
        !r.startsWith('GET /docs/'),
    );
    expect(untested, 'routes without a request in this test').toEqual([]);

    pg.stop();
    try {
      for (const route of routes) {
        const [method, path] = route.split(' ') as [string, string];
        if (route in table) {
          expectUnavailable(await send(app, method, table[route]!), route);
        } else if (route === 'GET /readyz') {
          const ready = await app.inject({ method: 'GET', url: path });
          expectUnavailable(
            { status: ready.statusCode, body: ready.json(), headers: ready.headers },
            route,
          );
          expect(ready.json().error.details).toEqual({ failed: ['database'] });
        } else if (WITHOUT_DATABASE.includes(route)) {
          expect((await app.inject({ method: 'GET', url: path })).statusCode, route).toBe(200);
        } else if (route in CALLER_WITHOUT_DATABASE) {
          expect((await send(app, method, CALLER_WITHOUT_DATABASE[route]!)).status, route).toBe(
            200,
          );
        } else if (route in consolePages) {
          const url = consolePages[route]!;
          expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
        } else if (CUSTOMER_PAGE.includes(route)) {
          const answer = await customerPage(app, method, token);
          expect({ route, status: answer.status }).toEqual({ route, status: 503 });
          expect(Number(answer.headers['retry-after']), route).toBeGreaterThan(0);
          expect(answer.type, route).toMatch(/^text\/html/);
          expect(answer.body, route).toContain('Please try again in a few minutes');
          expect(answer.headers['content-security-policy'], route).toBeTruthy();
        }
      }
      // The answer says which service is missing.
      const one = await send(app, 'GET', table['GET /v1/disputes/:id']!);
      expect(one.body.error).toMatchObject({
        code: 'unavailable',
        details: { service: 'database' },
      });
    } finally {
      pg.start();
    }

    // Back: the pool reconnects on its own; no restart of the API.
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    for (const route of ['GET /v1/disputes/:id', 'GET /v1/disputes', 'GET /v1/reports/summary']) {
      expect((await send(app, 'GET', table[route]!)).status, route).toBe(200);
    }
    expect((await send(app, 'POST', table['POST /v1/import']!)).status).toBe(200);
    expect((await customerPage(app, 'GET', token)).status).toBe(200);
  });
});

describe('SQLite locked by another writer past the busy timeout', () => {
  let database: TestDatabase;
  let db: Db;
  let app: FastifyInstance;
  let id: string;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    // The API's own client on the same file, with a short wait for the lock.
    db = await createPrisma(database.url, { sqliteBusyTimeoutMs: 300 });
    app = await appOn(db);
    id = await seed(app);
  });
  afterAll(async () => {
    await app?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it('answers 503 with Retry-After to writes while the lock is held, and serves reads and then writes', async () => {
    const table = requests(id);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    // Another process's long write transaction, as an import on another connection would hold it.
    const holder = database.db.$transaction(
      async (tx) => {
        await tx.idempotencyRecord.create({
          data: { key: uniqueId('lock'), requestHash: 'x', disputeId: id },
        });
        locked();
        await released;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    await holding;
    try {
      for (const route of [
        'POST /v1/import',
        'POST /v1/invoices',
        'POST /v1/disputes',
        'POST /v1/disputes/:id/assign',
        'POST /v1/disputes/:id/notes',
      ]) {
        expectUnavailable(await send(app, 'POST', table[route]!), route);
      }
      // WAL: readers are not blocked by the writer.
      expect((await send(app, 'GET', table['GET /v1/disputes/:id']!)).status).toBe(200);
    } finally {
      release();
      await holder;
    }
    expect((await send(app, 'POST', table['POST /v1/import']!)).status).toBe(200);
  });
});

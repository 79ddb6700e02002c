// Opening disputes (validation, 422s, the one-open-dispute rule, Idempotency-Key) and reading
// them (GET by id, the filtered list with cursor pagination across pages).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { DEV_API_KEYS, loadConfig } from '../../config';
import { DEFAULT_POLICY } from '../../domain/policy';
import { customerBundle, disputeBody, openInPhase } from '../support/api-fixtures';
import { DATABASE_KINDS } from '../support/database';
import { SECRETS, startStack, type Stack } from '../support/stack';
import { startDevServerEnv } from '../support/temporal';

const CUSTOMER = 'C-DSP';
const OTHER = 'C-OTHER';
const INVOICES = Array.from({ length: 12 }, (_, i) => ({ id: `D-INV-${i + 1}`, billed: '700.00' }));

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe.each(DATABASE_KINDS)('on %s', (kind) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack(env, kind);
    for (const bundle of [
      customerBundle(CUSTOMER, INVOICES),
      customerBundle(OTHER, [{ id: 'O-INV-1', billed: '150.00' }]),
    ]) {
      expect(
        (await stack.call('POST', '/v1/import', { role: 'operations', body: bundle })).status,
      ).toBe(200);
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const runIdOf = async (workflowId: string): Promise<string> =>
    (await env.client.workflow.getHandle(workflowId).describe()).runId;

  describe('POST /v1/disputes', () => {
    it('opens a dispute with every optional field and records the caller', async () => {
      const body = {
        ...disputeBody(CUSTOMER, 'D-INV-1'),
        lineIds: ['D-INV-1-1'],
        claimedAmount: { amount: '600.00', currency: 'USD' },
        evidence: [{ name: 'contract.pdf', url: 'https://files.example.com/c.pdf' }],
      };
      const got = await stack.call('POST', '/v1/disputes', { role: 'operations', body });
      expect(got.status).toBe(201);
      expect(got.body).toMatchObject({
        customerId: CUSTOMER,
        invoiceId: 'D-INV-1',
        reason: 'pricing_error',
        lineIds: ['D-INV-1-1'],
        claimedAmount: { amount: '600.00', currency: 'USD' },
        evidence: body.evidence,
        phase: 'acknowledging',
        escalationLevel: 0,
        timeline: [{ type: 'opened', actor: expect.stringMatching(/^operations:/) }],
      });
    });

    it('answers 422 for records that do not exist or do not fit, with the path', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ customerId: 'C-NOBODY' }, '$.customerId'],
        [{ invoiceId: 'NO-SUCH-INVOICE' }, '$.invoiceId'],
        [{ invoiceId: 'O-INV-1' }, '$.invoiceId'],
        [{ lineIds: ['D-INV-2-9'] }, '$.lineIds'],
        [{ claimedAmount: { amount: '10.00', currency: 'EUR' } }, '$.claimedAmount.currency'],
      ];
      for (const [change, path] of cases) {
        const got = await stack.call('POST', '/v1/disputes', {
          role: 'agent',
          body: { ...disputeBody(CUSTOMER, 'D-INV-2'), ...change },
        });
        expect({ change, status: got.status }).toEqual({ change, status: 422 });
        expect(got.body.error).toMatchObject({ code: 'unprocessable', details: { path } });
      }
    });

    it('answers 400 with the paths of malformed fields', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ reason: 'too_expensive' }, '$.reason'],
        [{ claimedAmount: { amount: '-5.00', currency: 'USD' } }, '$.claimedAmount.amount'],
        [{ claimedAmount: { amount: '5.001', currency: 'USD' } }, '$.claimedAmount.amount'],
        [{ claimedAmount: { amount: 5, currency: 'USD' } }, '$.claimedAmount.amount'],
        [{ contact: { name: 'Eve', email: 'eve@example.com\r\nBcc: x@y.z' } }, '$.contact.email'],
        [{ lineIds: ['D-INV-2-1', 7] }, '$.lineIds[1]'],
        [{ evidence: [{ name: 'x', url: 'javascript:alert(1)' }] }, '$.evidence[0].url'],
        [{ surprise: true }, '$'],
        // PostgreSQL stores no NUL character; amounts must fit the 64-bit minor units with room to add.
        [{ description: 'a\u0000b' }, '$.description'],
        [
          { claimedAmount: { amount: '10000000000000.00', currency: 'USD' } },
          '$.claimedAmount.amount',
        ],
      ];
      for (const [change, path] of cases) {
        const got = await stack.call('POST', '/v1/disputes', {
          role: 'agent',
          body: { ...disputeBody(CUSTOMER, 'D-INV-2'), ...change },
        });
        expect({ change, status: got.status }).toEqual({ change, status: 400 });
        expect(got.body.error.code).toBe('validation_error');
        expect(got.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
      }
    });

    it('answers 409 naming the open dispute on the invoice, whatever the reason (issue 10, item 1)', async () => {
      const first = await stack.call('POST', '/v1/disputes', {
        role: 'agent',
        body: disputeBody(CUSTOMER, 'D-INV-3'),
      });
      expect(first.status).toBe(201);
      const second = await stack.call('POST', '/v1/disputes', {
        role: 'manager',
        body: { ...disputeBody(CUSTOMER, 'D-INV-3'), description: 'Again' },
      });
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({
        code: 'dispute_exists',
        details: { disputeId: first.body.id, invoiceId: 'D-INV-3' },
      });
      // Another reason is the same invoice: crediting it twice is what the rule prevents.
      const otherReason = await stack.call('POST', '/v1/disputes', {
        role: 'agent',
        body: disputeBody(CUSTOMER, 'D-INV-3', 'tax_error'),
      });
      expect(otherReason.status).toBe(409);
      expect(otherReason.body.error).toMatchObject({
        code: 'dispute_exists',
        message: `Dispute ${first.body.id} on invoice D-INV-3 is still open; add to it, or withdraw it before opening another`,
        details: { disputeId: first.body.id },
      });
    });

    it('opens again once the earlier dispute on that invoice is closed', async () => {
      const first = await stack.call('POST', '/v1/disputes', {
        role: 'agent',
        body: disputeBody(CUSTOMER, 'D-INV-4'),
      });
      const withdrawn = await stack.call('POST', `/v1/disputes/${first.body.id}/withdraw`, {
        role: 'agent',
        body: { reason: 'Opened by mistake' },
      });
      expect(withdrawn.body.phase).toBe('closed');
      const again = await stack.call('POST', '/v1/disputes', {
        role: 'agent',
        body: disputeBody(CUSTOMER, 'D-INV-4'),
      });
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(first.body.id);
    });
  });

  describe('values the database cannot store', () => {
    it('rejects them on import with their paths, and imports nothing', async () => {
      const bundle = customerBundle('C-HUGE', [{ id: 'H-1', billed: '100.00' }]);
      const invoice = bundle.invoices![0] as Record<string, any>;
      const cases: [Record<string, unknown[]>, string][] = [
        [
          { ...bundle, invoices: [{ ...invoice, total: '99999999999999999.99' }] },
          '$.invoices[0].total',
        ],
        [
          {
            ...bundle,
            invoices: [{ ...invoice, lines: [{ ...invoice.lines[0], quantity: 3_000_000_000 }] }],
          },
          '$.invoices[0].lines[0].quantity',
        ],
        [
          { ...bundle, customers: [{ ...(bundle.customers![0] as object), name: 'N\u0000ull' }] },
          '$.customers[0].name',
        ],
      ];
      for (const [body, path] of cases) {
        const got = await stack.call('POST', '/v1/import', { role: 'operations', body });
        expect({ path, status: got.status }).toEqual({ path, status: 400 });
        expect(got.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
      }
      expect(await stack.database.db.customer.count({ where: { id: 'C-HUGE' } })).toBe(0);
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the same dispute for the same key and body, and starts no second workflow', async () => {
      const headers = { 'idempotency-key': 'key-same-1' };
      const body = disputeBody(CUSTOMER, 'D-INV-5');
      const first = await stack.call('POST', '/v1/disputes', { role: 'agent', body, headers });
      expect(first.status).toBe(201);
      const runId = await runIdOf(first.body.workflowId);
      // Key order and whitespace do not change the body.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const second = await stack.call('POST', '/v1/disputes', {
        role: 'agent',
        body: reordered,
        headers,
      });
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body.id).toBe(first.body.id);
      expect(await runIdOf(first.body.workflowId)).toBe(runId);
      expect(await stack.database.db.dispute.count({ where: { invoiceId: 'D-INV-5' } })).toBe(1);
    });

    it('answers 409 for the same key with another body', async () => {
      const headers = { 'idempotency-key': 'key-other-1' };
      const first = await stack.call('POST', '/v1/disputes', {
        role: 'agent',
        body: disputeBody(CUSTOMER, 'D-INV-6'),
        headers,
      });
      expect(first.status).toBe(201);
      const other = await stack.call('POST', '/v1/disputes', {
        role: 'agent',
        body: { ...disputeBody(CUSTOMER, 'D-INV-6'), description: 'Changed' },
        headers,
      });
      expect(other.status).toBe(409);
      expect(other.body.error).toMatchObject({
        code: 'idempotency_key_reused',
        details: { disputeId: first.body.id },
      });
    });

    it('gives concurrent requests with one key one dispute and one workflow, across two API processes', async () => {
      // A second app on the same database and Temporal stands in for a second API process.
      const second = await buildApp({
        config: loadConfig({
          SETTLE_API_KEYS: DEV_API_KEYS,
          TEMPORAL_TASK_QUEUE: stack.taskQueue,
          LOG_LEVEL: 'silent',
        }),
        db: stack.database.db,
        temporal: env.client,
        policy: DEFAULT_POLICY,
      });
      try {
        const headers = { 'idempotency-key': 'key-concurrent-1' };
        const body = disputeBody(CUSTOMER, 'D-INV-7');
        const viaSecond = async (): Promise<{ status: number; body: any }> => {
          const r = await second.inject({
            method: 'POST',
            url: '/v1/disputes',
            headers: { authorization: `Bearer ${SECRETS.agent}`, ...headers },
            payload: body,
          });
          return { status: r.statusCode, body: r.json() };
        };
        const answers = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            i % 2
              ? viaSecond()
              : stack.call('POST', '/v1/disputes', { role: 'agent', body, headers }),
          ),
        );
        expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
        expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
        expect(await stack.database.db.dispute.count({ where: { invoiceId: 'D-INV-7' } })).toBe(1);
        const runs = [];
        for await (const w of env.client.workflow.list({
          query: `WorkflowId = '${answers[0]!.body.workflowId}'`,
        }))
          runs.push(w.runId);
        expect(runs).toHaveLength(1);
      } finally {
        await second.close();
      }
    });

    it('opens one dispute for concurrent requests without a key on one invoice, whatever their reasons', async () => {
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          stack.call('POST', '/v1/disputes', {
            role: 'agent',
            body: disputeBody(CUSTOMER, 'D-INV-12', i % 2 === 0 ? 'pricing_error' : 'tax_error'),
          }),
        ),
      );
      const created = answers.filter((a) => a.status === 201);
      expect(created).toHaveLength(1);
      for (const a of answers.filter((x) => x.status !== 201)) {
        expect(a.status).toBe(409);
        expect(a.body.error).toMatchObject({
          code: 'dispute_exists',
          details: { disputeId: created[0]!.body.id },
        });
      }
    });

    it('keeps a key for 24 hours, after which it may name a new request', async () => {
      const headers = { 'idempotency-key': 'key-expiry-1' };
      const first = await stack.call('POST', '/v1/disputes', {
        role: 'agent',
        body: disputeBody(CUSTOMER, 'D-INV-8'),
        headers,
      });
      expect(first.status).toBe(201);
      const later = (hours: number) =>
        buildApp({
          config: loadConfig({
            SETTLE_API_KEYS: DEV_API_KEYS,
            TEMPORAL_TASK_QUEUE: stack.taskQueue,
            LOG_LEVEL: 'silent',
          }),
          db: stack.database.db,
          temporal: env.client,
          policy: DEFAULT_POLICY,
          now: () => new Date(Date.now() + hours * 3600_000),
        });
      const request = {
        method: 'POST' as const,
        url: '/v1/disputes',
        headers: { authorization: `Bearer ${SECRETS.agent}`, ...headers },
        payload: disputeBody(CUSTOMER, 'D-INV-9'),
      };
      const at23h = await later(23);
      try {
        expect((await at23h.inject(request)).statusCode).toBe(409);
      } finally {
        await at23h.close();
      }
      const at25h = await later(25);
      try {
        const reused = await at25h.inject(request);
        expect(reused.statusCode).toBe(201);
        expect(reused.json().id).not.toBe(first.body.id);
      } finally {
        await at25h.close();
      }
    });

    it('answers 400 for a malformed key', async () => {
      const got = await stack.call('POST', '/v1/disputes', {
        role: 'agent',
        body: disputeBody(CUSTOMER, 'D-INV-10'),
        headers: { 'idempotency-key': 'has spaces' },
      });
      expect(got.status).toBe(400);
      expect(got.body.error.code).toBe('validation_error');
    });
  });

  describe('GET /v1/disputes/{id} and the list', () => {
    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const unknown = await stack.call('GET', '/v1/disputes/D-0000000000', { role: 'auditor' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('not_found');
      expect((await stack.call('GET', '/v1/disputes/INV-1', { role: 'auditor' })).status).toBe(400);
    });

    it('filters by phase, customer and escalation level', async () => {
      const other = await openInPhase(stack, OTHER, 'O-INV-1', 'awaiting_customer');
      const byCustomer = await stack.call('GET', `/v1/disputes?customerId=${OTHER}`, {
        role: 'auditor',
      });
      expect(byCustomer.body.items.map((d: any) => d.id)).toEqual([other.id]);
      const byPhase = await stack.call('GET', '/v1/disputes?phase=awaiting_customer', {
        role: 'auditor',
      });
      expect(byPhase.body.items.every((d: any) => d.phase === 'awaiting_customer')).toBe(true);
      expect(byPhase.body.items.map((d: any) => d.id)).toContain(other.id);
      await stack.call('POST', `/v1/disputes/${other.id}/escalate`, {
        role: 'agent',
        body: { reason: 'Slow' },
      });
      const level = await stack.call(
        'GET',
        `/v1/disputes?escalationLevel=1&customerId=${OTHER}&phase=awaiting_customer`,
        { role: 'auditor' },
      );
      expect(level.body.items.map((d: any) => d.id)).toEqual([other.id]);
      const none = await stack.call('GET', `/v1/disputes?escalationLevel=2&customerId=${OTHER}`, {
        role: 'auditor',
      });
      expect(none.body).toEqual({ items: [], nextCursor: null });
      // The list's items carry no timeline, findings or adjustments.
      expect(byCustomer.body.items[0].timeline).toBeUndefined();
    });

    it('pages through every dispute exactly once, newest first, also across equal opening times', async () => {
      // Rows with one shared openedAt test the cursor's tie-break on id; they need no workflow to be listed.
      const at = new Date('2026-01-15T10:00:00.000Z');
      const ids = Array.from({ length: 7 }, (_, i) => `D-TIE000000${i}`.slice(0, 12));
      for (const id of ids) {
        await stack.database.db.dispute.create({
          data: {
            id,
            workflowId: `dispute-${id}`,
            customerId: CUSTOMER,
            invoiceId: 'D-INV-11',
            reason: 'other',
            description: 'tie',
            currency: 'USD',
            contactName: 'Dana Lee',
            contactEmail: 'dana@example.com',
            phase: 'closed',
            openedBy: 'test',
            openedAt: at,
          },
        });
      }
      const all = await stack.database.db.dispute.findMany({
        orderBy: [{ openedAt: 'desc' }, { id: 'desc' }],
        select: { id: true },
      });
      for (const limit of [1, 2, 3, 50]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const url: string = `/v1/disputes?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
          const page = await stack.call('GET', url, { role: 'auditor' });
          expect(page.status).toBe(200);
          expect(page.body.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.body.items.map((d: any) => d.id));
          cursor = page.body.nextCursor;
          pages += 1;
        } while (cursor);
        expect(seen).toEqual(all.map((d) => d.id));
        expect(pages).toBe(Math.ceil(all.length / limit));
      }
    });

    it('answers 400 for bad list parameters', async () => {
      for (const query of [
        'limit=0',
        'limit=201',
        'limit=abc',
        'phase=open',
        'escalationLevel=9',
        'cursor=%%%',
        'cursor=bm9wZQ',
        'sort=id',
        'limit=1&limit=2',
      ]) {
        const got = await stack.call('GET', `/v1/disputes?${query}`, { role: 'auditor' });
        expect({ query, status: got.status }).toEqual({ query, status: 400 });
        expect(got.body.error).toMatchObject({
          code: 'validation_error',
          message: expect.any(String),
        });
      }
    });
  });
});

// What the console reads, on SQLite and PostgreSQL: the dispute list's filters, search, orders and
// cursors (held against a model of the same rows), customer and invoice look-ups, a dispute's
// emails and ledger postings, and GET /v1/me. These routes read only the database, so the rows are
// written directly; Temporal is never called.
import { Client, Connection } from '@temporalio/client';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { DEV_API_KEYS, loadConfig, ROLES, type Role } from '../../config';
import { PHASES, WAITING_PHASES } from '../../domain/dispute';
import { DEFAULT_POLICY } from '../../domain/policy';
import { customerBundle } from '../support/api-fixtures';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import { SECRETS } from '../support/stack';

const NOW = new Date('2026-05-01T12:00:00Z');
const HOUR = 3_600_000;

interface Row {
  id: string;
  customerId: string;
  invoiceId: string;
  phase: string;
  assignee: string | null;
  escalationLevel: number;
  deadline: Date | null;
  openedAt: Date;
}

/** 40 disputes over three customers with every phase, some sharing deadlines and opening times. */
function rows(): Row[] {
  const out: Row[] = [];
  for (let n = 0; n < 40; n += 1) {
    const phase = PHASES[n % PHASES.length]!;
    const waiting = (WAITING_PHASES as readonly string[]).includes(phase);
    out.push({
      id: `D-LST${String(n).padStart(7, '0')}`,
      customerId: ['C-LA', 'C-LB', 'C-LC'][n % 3]!,
      invoiceId: `LI-${n % 7}`,
      phase,
      assignee: n % 4 === 0 ? null : ['agent:ada', 'agent:bob', 'manager:mgr'][n % 3]!,
      escalationLevel: n % 5 === 0 ? 2 : n % 7 === 0 ? 1 : 0,
      // Deadlines on either side of now, with ties; none outside the waiting phases.
      deadline: waiting ? new Date(NOW.getTime() + ((n % 9) - 4) * 6 * HOUR) : null,
      openedAt: new Date(Date.UTC(2026, 3, 1 + (n % 13), 9)),
    });
  }
  return out;
}

const NAMES: Record<string, string> = {
  'C-LA': 'Alpha Widgets',
  'C-LB': 'Bravo_Supplies 100%',
  'C-LC': 'Charlie Industries',
};

interface Filter {
  phase?: string;
  customerId?: string;
  escalationLevel?: number;
  state?: 'open' | 'waiting' | 'closed';
  assignee?: string;
  unassigned?: boolean;
  escalated?: boolean;
  overdue?: boolean;
  q?: string;
  sort?: 'opened' | 'deadline';
}

/** The list as the API promises it, computed over the rows in plain code. */
function model(all: readonly Row[], f: Filter): string[] {
  const q = f.q?.toLowerCase();
  const hits = all.filter(
    (r) =>
      (f.phase === undefined || r.phase === f.phase) &&
      (f.customerId === undefined || r.customerId === f.customerId) &&
      (f.escalationLevel === undefined || r.escalationLevel === f.escalationLevel) &&
      (f.state === undefined ||
        (f.state === 'open' && r.phase !== 'closed') ||
        (f.state === 'closed' && r.phase === 'closed') ||
        (f.state === 'waiting' && (WAITING_PHASES as readonly string[]).includes(r.phase))) &&
      (f.assignee === undefined || r.assignee === f.assignee) &&
      (f.unassigned === undefined || (r.assignee === null) === f.unassigned) &&
      (f.escalated === undefined || r.escalationLevel > 0 === f.escalated) &&
      (f.overdue === undefined ||
        (r.phase !== 'closed' && r.deadline !== null && r.deadline <= NOW) === f.overdue) &&
      (q === undefined ||
        r.id.toLowerCase().includes(q) ||
        r.invoiceId.toLowerCase().includes(q) ||
        r.customerId.toLowerCase().includes(q) ||
        NAMES[r.customerId]!.toLowerCase().includes(q)),
  );
  const byId = (a: Row, b: Row): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if ((f.sort ?? 'opened') === 'opened') {
    return hits
      .sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime() || -byId(a, b))
      .map((r) => r.id);
  }
  const key = (r: Row): number => r.deadline?.getTime() ?? Number.POSITIVE_INFINITY;
  return hits.sort((a, b) => key(a) - key(b) || byId(a, b)).map((r) => r.id);
}

const filterArb: fc.Arbitrary<Filter> = fc.record(
  {
    phase: fc.constantFrom(...PHASES),
    customerId: fc.constantFrom('C-LA', 'C-LB', 'C-LC'),
    escalationLevel: fc.constantFrom(0, 1, 2),
    state: fc.constantFrom('open', 'waiting', 'closed'),
    assignee: fc.constantFrom('agent:ada', 'agent:bob', 'manager:mgr'),
    unassigned: fc.boolean(),
    escalated: fc.boolean(),
    overdue: fc.boolean(),
    q: fc.constantFrom('lst000001', 'li-3', 'BRAVO', 'widgets', 'c-lc', '100%', '_', 'none'),
    sort: fc.constantFrom('opened', 'deadline'),
  },
  { requiredKeys: [] },
);

describe.each(DATABASE_KINDS)('look-ups on %s', (kind) => {
  let database: TestDatabase;
  let connection: Connection;
  let app: FastifyInstance;
  const seeded = rows();
  const get = async (
    url: string,
    role: Role = 'auditor',
  ): Promise<{ status: number; body: any }> => {
    const r = await app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${SECRETS[role]}` },
    });
    return { status: r.statusCode, body: r.json() };
  };

  /** Every page of the list, `limit` at a time, following nextCursor. */
  async function allPages(filter: Filter, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const params = new URLSearchParams(
        Object.entries({ ...filter, limit, ...(cursor ? { cursor } : {}) }).map(
          ([k, v]): [string, string] => [k, String(v)],
        ),
      );
      const { status, body } = await get(`/v1/disputes?${params.toString()}`);
      expect(status, JSON.stringify(body)).toBe(200);
      ids.push(...body.items.map((d: any) => d.id));
      cursor = body.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error('more than 100 pages');
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    connection = Connection.lazy({ address: '127.0.0.1:1' });
    app = await buildApp({
      config: loadConfig({
        SETTLE_API_KEYS: DEV_API_KEYS,
        LOG_LEVEL: 'silent',
        TEMPORAL_UI_URL: 'http://127.0.0.1:8233/',
      }),
      db: database.db,
      temporal: new Client({ connection }),
      policy: DEFAULT_POLICY,
      now: () => NOW,
    });
    for (const [id, name] of Object.entries(NAMES)) {
      const bundle = customerBundle(
        id,
        [0, 1, 2, 3, 4, 5, 6].map((i) => ({
          id: `${id}-I${i}`,
          billed: '100.00',
          issuedAt: `2026-03-${String(10 + (i % 3)).padStart(2, '0')}`,
        })),
      );
      (bundle.customers![0] as any).name = name;
      const r = await app.inject({
        method: 'POST',
        url: '/v1/import',
        headers: { authorization: `Bearer ${SECRETS.operations}` },
        payload: bundle,
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    for (const r of seeded) {
      await database.db.dispute.create({
        data: {
          ...r,
          workflowId: `dispute-${r.id}`,
          reason: 'pricing_error',
          description: 'list fixture',
          currency: 'USD',
          contactName: 'Dana Lee',
          contactEmail: 'dana@example.com',
          openedBy: 'test',
        },
      });
    }
  });
  afterAll(async () => {
    await app?.close();
    await connection?.close();
    await database?.drop();
  });

  it('filters, searches and orders the list as the model does, page after page', async () => {
    await fc.assert(
      fc.asyncProperty(filterArb, fc.integer({ min: 1, max: 9 }), async (filter, limit) => {
        expect(await allPages(filter, limit)).toEqual(model(seeded, filter));
      }),
      { numRuns: 60 },
    );
  });

  it('reads the inbox view by deadline, soonest first and none last, across ties', async () => {
    const ids = await allPages({ state: 'open', sort: 'deadline' }, 4);
    expect(ids).toEqual(model(seeded, { state: 'open', sort: 'deadline' }));
    const first = await get('/v1/disputes?state=open&sort=deadline&limit=1');
    expect(first.body.items[0]).toMatchObject({
      customerName: expect.any(String),
      currency: 'USD',
    });
    expect(first.body.items[0]).not.toHaveProperty('availableActions');
  });

  it('takes any cursor of the documented form as a position, and refuses others', async () => {
    for (const sort of ['opened', 'deadline']) {
      for (const cursor of ['0.D-0000000000', 'none.D-ZZZZZZZZZZ', '9999999999999.D-LST0000003']) {
        const r = await get(`/v1/disputes?sort=${sort}&cursor=${cursor}`);
        expect({ sort, cursor, status: r.status }).toEqual({ sort, cursor, status: 200 });
      }
    }
    for (const cursor of ['abc', 'MTc2NzIyNTYwMDAwMHxELTAwMDAwMDAwMDA', '1.D-lower00000']) {
      const r = await get(`/v1/disputes?cursor=${cursor}`);
      expect(r.status).toBe(400);
      expect(r.body.error.details[0].path).toBe('$.cursor');
    }
  });

  it('finds customers by number, name or email in any case, with % and _ taken literally', async () => {
    const names = async (q: string): Promise<string[]> =>
      (await get(`/v1/customers?q=${encodeURIComponent(q)}`)).body.items.map((c: any) => c.id);
    expect(await names('alpha')).toEqual(['C-LA']);
    expect(await names('c-l')).toEqual(['C-LA', 'C-LB', 'C-LC']);
    expect(await names('AP@C-LC')).toEqual(['C-LC']);
    expect(await names('100%')).toEqual(['C-LB']);
    expect(await names('o_s')).toEqual(['C-LB']);
    expect(await names('%')).toEqual(['C-LB']);
    expect(await names('zzz')).toEqual([]);
    const all = await get('/v1/customers?limit=2');
    expect(all.body.items.map((c: any) => c.id)).toEqual(['C-LA', 'C-LB']);
    expect(all.body.items[0]).toEqual({
      id: 'C-LA',
      name: 'Alpha Widgets',
      email: 'ap@c-la.example',
      currency: 'USD',
      locale: 'en',
    });
  });

  it('shows a customer, their invoices newest first page by page, and an invoice with its lines', async () => {
    const customer = await get('/v1/customers/C-LB');
    expect(customer.body).toMatchObject({
      id: 'C-LB',
      name: 'Bravo_Supplies 100%',
      billingAddress: { city: 'Springfield' },
    });
    expect((await get('/v1/customers/C-NONE')).status).toBe(404);
    expect((await get('/v1/customers/C-NONE/invoices')).status).toBe(404);

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(
        `/v1/customers/C-LA/invoices?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      ids.push(...page.body.items.map((i: any) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    // Issued on the 12th (I2, I5), the 11th (I1, I4) and the 10th (I0, I3, I6): newest first, then id.
    expect(ids).toEqual([
      'C-LA-I5',
      'C-LA-I2',
      'C-LA-I4',
      'C-LA-I1',
      'C-LA-I6',
      'C-LA-I3',
      'C-LA-I0',
    ]);

    const invoice = await get('/v1/invoices/C-LA-I1');
    expect(invoice.body).toMatchObject({
      id: 'C-LA-I1',
      customerId: 'C-LA',
      issuedAt: '2026-03-11',
      total: { amount: '100.00', currency: 'USD' },
      voidedBy: null,
      hold: null,
      holds: [],
      lines: [
        {
          id: 'C-LA-I1-1',
          position: expect.any(Number),
          sku: 'WIDGET',
          quantity: 1,
          unitPrice: { amount: '100.00', currency: 'USD' },
          lineTotal: { amount: '100.00', currency: 'USD' },
        },
      ],
    });
    expect((await get('/v1/invoices/NOPE')).status).toBe(404);
  });

  it('shows a dispute with its customer, currency, the actions its phase allows, emails and postings', async () => {
    const { db } = database;
    const id = 'D-LST0000003'; // awaiting_decision
    await db.outboxMessage.createMany({
      data: [
        {
          id: 'msg-1',
          disputeId: id,
          kind: 'acknowledgement',
          toAddress: 'dana@example.com',
          subject: 'We have your dispute',
          text: 't',
          html: 'h',
          status: 'sent',
          attempts: 1,
          createdAt: new Date('2026-04-02T09:00:00Z'),
          sentAt: new Date('2026-04-02T09:00:01Z'),
        },
        {
          id: 'msg-2',
          disputeId: id,
          kind: 'findings',
          toAddress: 'dana@example.com',
          subject: 'Findings',
          text: 't',
          html: 'h',
          status: 'failed',
          attempts: 5,
          lastError: '550 mailbox unavailable',
          createdAt: new Date('2026-04-02T10:00:00Z'),
        },
      ],
    });
    await db.adjustment.create({
      data: {
        id: 'adj-lst',
        disputeId: id,
        idempotencyKey: 'lst:adj',
        kind: 'credit_note',
        documentNumber: 'CN-LST-1',
        amount: 5000n,
        tax: 0n,
        currency: 'USD',
        posting: {
          create: {
            id: 'post-lst',
            idempotencyKey: 'lst:post',
            customerId: 'C-LA',
            description: 'Credit note CN-LST-1',
            entries: {
              create: [
                { account: 'contra_revenue', customerId: 'C-LA', amount: 5000n, currency: 'USD' },
                { account: 'receivable:C-LA', customerId: 'C-LA', amount: -5000n, currency: 'USD' },
              ],
            },
          },
        },
      },
    });

    const dispute = await get(`/v1/disputes/${id}`);
    expect(dispute.body).toMatchObject({
      customerName: 'Alpha Widgets',
      currency: 'USD',
      phase: 'awaiting_decision',
      availableActions: ['assign', 'notes', 'decision', 'escalate', 'withdraw'],
    });
    expect(dispute.body.adjustments[0].posting).toMatchObject({
      id: 'post-lst',
      entries: [
        { account: 'contra_revenue', side: 'debit', amount: { amount: '50.00', currency: 'USD' } },
        {
          account: 'receivable:C-LA',
          side: 'credit',
          amount: { amount: '50.00', currency: 'USD' },
        },
      ],
    });
    const closed = await get('/v1/disputes/D-LST0000009');
    expect(closed.body.availableActions).toEqual(['notes', 'reopen', 'reverse']);

    const emails = await get(`/v1/disputes/${id}/emails`);
    expect(emails.body.items).toEqual([
      {
        id: 'msg-1',
        kind: 'acknowledgement',
        to: 'dana@example.com',
        subject: 'We have your dispute',
        status: 'sent',
        attempts: 1,
        lastError: null,
        createdAt: '2026-04-02T09:00:00.000Z',
        sentAt: '2026-04-02T09:00:01.000Z',
      },
      expect.objectContaining({
        id: 'msg-2',
        status: 'failed',
        lastError: '550 mailbox unavailable',
      }),
    ]);
    expect((await get('/v1/disputes/D-0000000000/emails')).status).toBe(404);
  });

  it('tells each key its role, actor, the operations it may call and where the Temporal UI is', async () => {
    const doc = await app.inject({ method: 'GET', url: '/openapi.json' });
    const operations = Object.values<Record<string, any>>(doc.json().paths).flatMap((item) =>
      Object.values(item).map((op) => op),
    );
    for (const role of ROLES) {
      const { status, body } = await get('/v1/me', role);
      expect(status).toBe(200);
      expect(body.role).toBe(role);
      expect(body.actor).toMatch(new RegExp(`^${role}:`));
      expect(body.temporalUi).toEqual({ url: 'http://127.0.0.1:8233', namespace: 'default' });
      // Exactly the operations whose documented roles include this one, and every public one.
      const allowed = operations
        .filter((op) => op.security?.length === 0 || op.description?.includes(role))
        .map((op) => op.operationId)
        .sort();
      expect([...body.operations].sort()).toEqual(allowed);
    }
    const auditor = (await get('/v1/me', 'auditor')).body.operations;
    expect(auditor).toContain('getV1Disputes');
    expect(auditor).not.toContain('postV1Disputes');
    const agent = (await get('/v1/me', 'agent')).body.operations;
    expect(agent).toContain('postV1DisputesIdDecision');
    expect(agent).not.toContain('postV1DisputesIdApproval');
    expect((await app.inject({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
  });
});

// GET /v1/reports/summary on SQLite and PostgreSQL, over a read model with known figures. The
// report reads only the database, so the rows are written directly with chosen timestamps.
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { DEV_API_KEYS, loadConfig } from '../../config';
import { DEFAULT_POLICY } from '../../domain/policy';
import { customerBundle } from '../support/api-fixtures';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import { SECRETS } from '../support/stack';

const DAY = 86_400;
const at = (iso: string): Date => new Date(`${iso}T12:00:00Z`);

interface Seed {
  id: string;
  reason: string;
  opened: string;
  closed?: string;
  phase?: string;
  resolution?: string;
  rootCause?: string;
  escalationLevel?: number;
}

const DISPUTES: Seed[] = [
  {
    id: 'D-RPT0000001',
    reason: 'pricing_error',
    opened: '2026-03-02',
    closed: '2026-03-03',
    resolution: 'corrected',
    rootCause: 'pricing',
  },
  {
    id: 'D-RPT0000002',
    reason: 'pricing_error',
    opened: '2026-03-05',
    closed: '2026-03-07',
    resolution: 'no_error',
    rootCause: 'no_error',
  },
  {
    id: 'D-RPT0000003',
    reason: 'tax_error',
    opened: '2026-03-10',
    closed: '2026-03-14',
    resolution: 'corrected',
    rootCause: 'tax',
  },
  {
    id: 'D-RPT0000004',
    reason: 'pricing_error',
    opened: '2026-03-10',
    closed: '2026-03-20',
    resolution: 'corrected',
    rootCause: 'pricing',
    escalationLevel: 1,
  },
  {
    id: 'D-RPT0000005',
    reason: 'double_billing',
    opened: '2026-03-15',
    phase: 'awaiting_decision',
    escalationLevel: 2,
  },
  // Opened before the window, closed inside it: counts as closed, not as opened.
  {
    id: 'D-RPT0000006',
    reason: 'other',
    opened: '2026-02-15',
    closed: '2026-03-02',
    resolution: 'withdrawn',
    rootCause: 'withdrawn',
  },
  // Opened inside, closed after the window.
  {
    id: 'D-RPT0000007',
    reason: 'undercharge',
    opened: '2026-03-20',
    closed: '2026-04-05',
    resolution: 'written_off',
    rootCause: 'arithmetic',
  },
  { id: 'D-RPT0000008', reason: 'pricing_error', opened: '2026-04-02', phase: 'awaiting_review' },
];

const EVENTS: { disputeId: string; at: string; trigger: string }[] = [
  { disputeId: 'D-RPT0000005', at: '2026-03-20', trigger: 'deadline_missed' },
  { disputeId: 'D-RPT0000005', at: '2026-03-25', trigger: 'deadline_missed' },
  { disputeId: 'D-RPT0000004', at: '2026-03-12', trigger: 'deadline_missed' },
  { disputeId: 'D-RPT0000003', at: '2026-03-11', trigger: 'manual' },
  { disputeId: 'D-RPT0000008', at: '2026-04-03', trigger: 'deadline_missed' },
];

const ADJUSTMENTS: {
  disputeId: string;
  kind: string;
  amount: bigint;
  currency: string;
  at: string;
}[] = [
  {
    disputeId: 'D-RPT0000001',
    kind: 'credit_note',
    amount: 5000n,
    currency: 'USD',
    at: '2026-03-03',
  },
  {
    disputeId: 'D-RPT0000003',
    kind: 'credit_note',
    amount: 2550n,
    currency: 'USD',
    at: '2026-03-14',
  },
  { disputeId: 'D-RPT0000003', kind: 'refund', amount: 2550n, currency: 'USD', at: '2026-03-14' },
  {
    disputeId: 'D-RPT0000004',
    kind: 'debit_note',
    amount: 1948n,
    currency: 'USD',
    at: '2026-03-20',
  },
  {
    disputeId: 'D-RPT0000004',
    kind: 'credit_note',
    amount: 1000n,
    currency: 'EUR',
    at: '2026-03-21',
  },
  {
    disputeId: 'D-RPT0000007',
    kind: 'write_off',
    amount: 1000n,
    currency: 'JPY',
    at: '2026-04-05',
  },
];

async function seed(database: TestDatabase, app: FastifyInstance): Promise<void> {
  const imported = await app.inject({
    method: 'POST',
    url: '/v1/import',
    headers: { authorization: `Bearer ${SECRETS.operations}` },
    payload: customerBundle('C-RPT', [{ id: 'R-1', billed: '100.00' }]),
  });
  expect(imported.statusCode).toBe(200);
  const { db } = database;
  for (const d of DISPUTES) {
    await db.dispute.create({
      data: {
        id: d.id,
        workflowId: `dispute-${d.id}`,
        customerId: 'C-RPT',
        invoiceId: 'R-1',
        reason: d.reason,
        description: 'report fixture',
        currency: 'USD',
        contactName: 'Dana Lee',
        contactEmail: 'dana@example.com',
        phase: d.phase ?? 'closed',
        resolution: d.resolution ?? null,
        rootCause: d.rootCause ?? null,
        escalationLevel: d.escalationLevel ?? 0,
        openedBy: 'test',
        openedAt: at(d.opened),
        closedAt: d.closed ? at(d.closed) : null,
      },
    });
  }
  for (const [n, e] of EVENTS.entries()) {
    await db.disputeEvent.create({
      data: {
        disputeId: e.disputeId,
        key: `report-fixture:${n}`,
        at: at(e.at),
        type: 'escalated',
        actor: 'system',
        data: JSON.stringify({ level: 1, trigger: e.trigger, phase: 'awaiting_decision' }),
      },
    });
  }
  for (const [n, a] of ADJUSTMENTS.entries()) {
    await db.adjustment.create({
      data: {
        id: `adj-${n}`,
        disputeId: a.disputeId,
        idempotencyKey: `report-fixture:${n}`,
        kind: a.kind,
        documentNumber: `FX-${n}`,
        amount: a.amount,
        tax: 0n,
        currency: a.currency,
        createdAt: at(a.at),
      },
    });
  }
}

describe.each(DATABASE_KINDS)('the summary report on %s', (kind) => {
  let database: TestDatabase;
  let connection: Connection;
  let app: FastifyInstance;
  const get = async (query: string, report = 'summary'): Promise<{ status: number; body: any }> => {
    const r = await app.inject({
      method: 'GET',
      url: `/v1/reports/${report}${query}`,
      headers: { authorization: `Bearer ${SECRETS.auditor}` },
    });
    return { status: r.statusCode, body: r.json() };
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    // The report never calls Temporal; a connection that is never used stands in for it.
    connection = Connection.lazy({ address: '127.0.0.1:1' });
    app = await buildApp({
      config: loadConfig({ SETTLE_API_KEYS: DEV_API_KEYS, LOG_LEVEL: 'silent' }),
      db: database.db,
      temporal: new Client({ connection }),
      policy: DEFAULT_POLICY,
      now: () => new Date('2026-05-01T00:00:00Z'),
    });
    await seed(database, app);
  });
  afterAll(async () => {
    await app?.close();
    await connection?.close();
    await database?.drop();
  });

  it('counts, times, breaches and sums the window [from, to)', async () => {
    const { status, body } = await get('?from=2026-03-01&to=2026-04-01');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      opened: 6,
      closed: 5,
    });
    expect(body.byPhase).toMatchObject({
      closed: 5,
      awaiting_decision: 1,
      awaiting_review: 0,
      monitoring: 0,
    });
    expect(Object.keys(body.byPhase)).toHaveLength(10);
    expect(body.byReason).toMatchObject({
      pricing_error: 3,
      tax_error: 1,
      double_billing: 1,
      undercharge: 1,
      other: 0,
    });
    expect(body.byResolution).toEqual({
      corrected: 3,
      no_error: 1,
      withdrawn: 1,
      written_off: 0,
      mediated: 0,
    });
    expect(body.byRootCause).toEqual([
      { rootCause: 'pricing', count: 2 },
      { rootCause: 'no_error', count: 1 },
      { rootCause: 'tax', count: 1 },
      { rootCause: 'withdrawn', count: 1 },
    ]);
    // Durations 1, 2, 4, 10 and 15 days: nearest-rank median is the 3rd, p90 the 5th.
    expect(body.timeToResolve).toEqual({ count: 5, medianSeconds: 4 * DAY, p90Seconds: 15 * DAY });
    expect(body.slaBreaches).toEqual({
      missedDeadlines: 3,
      disputesWithMissedDeadlines: 2,
      escalatedDisputes: 2,
    });
    expect(body.adjustments.credits).toEqual([
      { currency: 'EUR', amount: { amount: '10.00', currency: 'EUR' }, count: 1 },
      { currency: 'USD', amount: { amount: '75.50', currency: 'USD' }, count: 2 },
    ]);
    expect(body.adjustments.debits).toEqual([
      { currency: 'USD', amount: { amount: '19.48', currency: 'USD' }, count: 1 },
    ]);
    expect(body.adjustments.byKind).toEqual([
      {
        kind: 'credit_note',
        currency: 'EUR',
        amount: { amount: '10.00', currency: 'EUR' },
        count: 1,
      },
      {
        kind: 'credit_note',
        currency: 'USD',
        amount: { amount: '75.50', currency: 'USD' },
        count: 2,
      },
      {
        kind: 'debit_note',
        currency: 'USD',
        amount: { amount: '19.48', currency: 'USD' },
        count: 1,
      },
      { kind: 'refund', currency: 'USD', amount: { amount: '25.50', currency: 'USD' }, count: 1 },
    ]);
  });

  it('reads everything up to now without a window, with minor units per currency', async () => {
    const { status, body } = await get('');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      from: null,
      to: '2026-05-01T00:00:00.000Z',
      opened: 8,
      closed: 6,
    });
    expect(body.timeToResolve.count).toBe(6);
    expect(body.slaBreaches.missedDeadlines).toBe(4);
    expect(body.adjustments.byKind).toContainEqual({
      kind: 'write_off',
      currency: 'JPY',
      amount: { amount: '1000', currency: 'JPY' },
      count: 1,
    });
  });

  it('answers an empty window with zeroes and null percentiles', async () => {
    const { body } = await get('?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00%2B01:00');
    expect(body).toMatchObject({
      opened: 0,
      closed: 0,
      byRootCause: [],
      timeToResolve: { count: 0, medianSeconds: null, p90Seconds: null },
    });
    expect(body.adjustments).toEqual({ credits: [], debits: [], byKind: [] });
  });

  it('answers 400 for a bad window', async () => {
    for (const query of [
      '?from=2026-04-01&to=2026-03-01',
      '?from=yesterday',
      '?to=2026-02-30',
      '?from=2026-03-01T10:00:00',
      '?period=month',
    ]) {
      const { status, body } = await get(query);
      expect({ query, status }).toEqual({ query, status: 400 });
      expect(body.error.code).toBe('validation_error');
    }
  });

  describe('as series', () => {
    beforeAll(async () => {
      for (const [n, day] of ['2026-03-18', '2026-03-19', '2026-03-24'].entries()) {
        await database.db.disputeEvent.create({
          data: {
            disputeId: 'D-RPT0000001',
            key: `report-fixture:recurrence:${n}`,
            at: at(day),
            type: 'recurrence_found',
            actor: 'system',
            data: JSON.stringify({ invoiceId: 'R-1', rules: ['pricing'] }),
          },
        });
      }
    });

    it('has every week of the window with its counts, times to resolve and recurrences', async () => {
      const { status, body } = await get('?from=2026-03-01&to=2026-04-01', 'series');
      expect(status).toBe(200);
      expect(body.from).toBe('2026-03-01T00:00:00.000Z');
      // 2026-03-01 is a Sunday: its week starts on Monday 23 February.
      expect(body.weeks).toEqual([
        week('2026-02-23', 0, []),
        // Closed 1, 2 and 15 days after opening: nearest-rank median the 2nd, p90 the 3rd.
        week('2026-03-02', 2, [1, 2, 15]),
        week('2026-03-09', 3, [4]),
        { ...week('2026-03-16', 1, [10]), recurrences: 2 },
        { ...week('2026-03-23', 0, []), recurrences: 1 },
        week('2026-03-30', 0, []),
      ]);
      expect(body.months).toEqual([
        {
          month: '2026-03',
          credits: [
            { currency: 'EUR', amount: { amount: '10.00', currency: 'EUR' }, count: 1 },
            { currency: 'USD', amount: { amount: '75.50', currency: 'USD' }, count: 2 },
          ],
          debits: [{ currency: 'USD', amount: { amount: '19.48', currency: 'USD' }, count: 1 }],
        },
      ]);
      expect(body.slaBreachesByLevel).toEqual([
        { level: 1, name: 'team_lead', count: 3 },
        { level: 2, name: 'billing_manager', count: 0 },
        { level: 3, name: 'finance_legal', count: 0 },
      ]);
    });

    it('starts at the first data point without a start or with one ten years away', async () => {
      for (const query of ['', '?from=0001-01-01']) {
        const { body } = await get(query, 'series');
        // D-RPT0000006 opened on Sunday 15 February; now is Friday 1 May.
        expect(body.weeks[0].week).toBe('2026-02-09');
        expect(body.weeks.at(-1).week).toBe('2026-04-27');
        expect(body.weeks).toHaveLength(12);
        const sum = (key: string): number =>
          body.weeks.reduce((n: number, w: any) => n + w[key], 0);
        expect([sum('opened'), sum('closed')]).toEqual([8, 6]);
        expect(body.months.map((m: any) => m.month)).toEqual(['2026-03', '2026-04']);
      }
    });

    it('has empty weeks in a window without data, and the summary’s totals in one with data', async () => {
      const { body } = await get('?from=2020-01-01&to=2020-02-01', 'series');
      expect(body.weeks.map((w: any) => [w.week, w.opened, w.closed])).toEqual([
        ['2019-12-30', 0, 0],
        ['2020-01-06', 0, 0],
        ['2020-01-13', 0, 0],
        ['2020-01-20', 0, 0],
        ['2020-01-27', 0, 0],
      ]);
      expect(body.months).toEqual([{ month: '2020-01', credits: [], debits: [] }]);
      const summary = (await get('?from=2026-03-09&to=2026-04-06')).body;
      const series = (await get('?from=2026-03-09&to=2026-04-06', 'series')).body;
      const total = (key: string): number =>
        series.weeks.reduce((n: number, w: any) => n + w[key], 0);
      expect([total('opened'), total('closed')]).toEqual([summary.opened, summary.closed]);
    });
  });
});

function week(monday: string, opened: number, days: number[]): Record<string, unknown> {
  const rank = (p: number): number | null =>
    days.length ? days[Math.max(1, Math.ceil((p / 100) * days.length)) - 1]! * DAY : null;
  return {
    week: monday,
    opened,
    closed: days.length,
    medianSecondsToResolve: rank(50),
    p90SecondsToResolve: rank(90),
    recurrences: 0,
  };
}

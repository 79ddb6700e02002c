// The reports' SQL against a plain reading of the same rules, on SQLite and PostgreSQL: weeks start
// on Monday (UTC), seconds to resolve round half up and never go below zero, and the median and
// p90 are nearest-rank. Timestamps are random to the millisecond, with weight on week boundaries
// and half seconds, where the two databases' date arithmetic could round another way.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../domain/calendar';
import { resolveTimes, type ResolveTimes } from '../../store/reports/sql';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import { importSample } from '../support/ledger';

const WEEK_MS = 7 * DAY_MS;
/** Monday 2 March 2026, 00:00 UTC. */
const MONDAY = Date.UTC(2026, 2, 2);

function weekOf(ms: number): string {
  const sinceMonday = Math.floor((ms - MONDAY) / WEEK_MS) * WEEK_MS;
  return new Date(MONDAY + sinceMonday).toISOString().slice(0, 10);
}

function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? null;
}

interface Row {
  closedAt: number;
  /** Opening time minus closing time, ms: usually positive, sometimes not (a clock skew). */
  took: number;
  closed: boolean;
}

function expected(rows: readonly Row[], from: number, to: number, perWeek: boolean): ResolveTimes[] {
  const seconds = new Map<string, number[]>();
  for (const row of rows) {
    if (!row.closed || row.closedAt < from || row.closedAt >= to) continue;
    const bucket = perWeek ? weekOf(row.closedAt) : 'window';
    const s = Math.max(0, Math.round(row.took / 1000));
    seconds.set(bucket, [...(seconds.get(bucket) ?? []), s]);
  }
  return [...seconds]
    .map(([bucket, list]) => {
      const sorted = list.sort((a, b) => a - b);
      return {
        bucket,
        closed: sorted.length,
        medianSeconds: nearestRank(sorted, 50),
        p90Seconds: nearestRank(sorted, 90),
      };
    })
    .sort((a, b) => a.bucket.localeCompare(b.bucket));
}

const instant = fc.oneof(
  fc.integer({ min: MONDAY, max: MONDAY + 5 * WEEK_MS }),
  // A millisecond either side of a week's start.
  fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: -2, max: 1 }))
    .map(([week, ms]) => MONDAY + week * WEEK_MS + ms),
);

const took = fc.oneof(
  fc.integer({ min: 0, max: 30 * DAY_MS }),
  // Around half a second: 499, 500 and 501 ms past a whole second.
  fc
    .tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 499, max: 501 }))
    .map(([s, ms]) => s * 1000 + ms),
  fc.integer({ min: -5000, max: 0 }),
);

const rows = fc.array(fc.record({ closedAt: instant, took, closed: fc.boolean() }), {
  maxLength: 25,
});

describe.each(DATABASE_KINDS)('the reports’ times to resolve on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await importSample(database.db);
  }, 120_000);

  afterAll(async () => {
    await database?.drop();
  });

  async function store(list: readonly Row[]): Promise<void> {
    await database.db.dispute.deleteMany({});
    await database.db.dispute.createMany({
      data: list.map((row, n) => ({
        id: `D-SQL${String(n).padStart(7, '0')}`,
        workflowId: `dispute-sql-${n}`,
        customerId: 'C-400',
        invoiceId: 'INV-4001',
        reason: 'pricing_error',
        description: 'report SQL property',
        currency: 'USD',
        contactName: 'Dana Lee',
        contactEmail: 'dana@example.com',
        phase: row.closed ? 'closed' : 'monitoring',
        openedBy: 'test',
        openedAt: new Date(row.closedAt - row.took),
        closedAt: new Date(row.closedAt),
      })),
    });
  }

  it('buckets by week and ranks like the plain rules, to the millisecond', async () => {
    await fc.assert(
      fc.asyncProperty(
        rows,
        fc.integer({ min: 0, max: 2 * WEEK_MS }),
        fc.integer({ min: 2 * WEEK_MS, max: 5 * WEEK_MS }),
        async (list, fromOffset, toOffset) => {
          await store(list);
          const window = { from: new Date(MONDAY + fromOffset), to: new Date(MONDAY + toOffset) };
          const [from, to] = [window.from.getTime(), window.to.getTime()];
          const sorted = (r: ResolveTimes[]): ResolveTimes[] =>
            [...r].sort((a, b) => a.bucket.localeCompare(b.bucket));
          expect(sorted(await resolveTimes(database.db, window, 'week'))).toEqual(
            expected(list, from, to, true),
          );
          expect(await resolveTimes(database.db, window, 'window')).toEqual(
            expected(list, from, to, false),
          );
          const open = { from: null, to: window.to };
          expect(await resolveTimes(database.db, open, 'window')).toEqual(
            expected(list, -Infinity, to, false),
          );
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

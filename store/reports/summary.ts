// The summary report, read from the database with grouped queries (never from workflows).
// Same queries on SQLite and PostgreSQL: Prisma groupBy/count/aggregate, plus the times to resolve
// with their percentiles taken by the database (./sql.ts).
import { PHASES, REASONS, RESOLUTIONS } from '../../domain/dispute';
import { money, toMoneyDto, type MoneyDto } from '../../domain/money';
import { holdsByCustomer } from '../billing/invoice-view';
import type { Db, Prisma } from '../db';
import { resolveTimes, type ReportWindow } from './sql';

interface MoneyCount {
  currency: string;
  amount: MoneyDto;
  count: number;
}

export interface SummaryReport {
  from: string | null;
  to: string;
  opened: number;
  byPhase: Record<string, number>;
  byReason: Record<string, number>;
  closed: number;
  byResolution: Record<string, number>;
  byRootCause: { rootCause: string; count: number }[];
  timeToResolve: { count: number; medianSeconds: number | null; p90Seconds: number | null };
  slaBreaches: {
    missedDeadlines: number;
    disputesWithMissedDeadlines: number;
    escalatedDisputes: number;
  };
  adjustments: {
    credits: MoneyCount[];
    debits: MoneyCount[];
    byKind: (MoneyCount & { kind: string })[];
  };
  /** Amount on collection hold now, per customer (and currency), over their open disputes. */
  holds: { customerId: string; amount: MoneyDto; disputes: number }[];
}

/** Adjustment kinds that lower what the customer owes, and those that raise it. */
const CREDIT_KINDS = ['credit_note'];
const DEBIT_KINDS = ['debit_note'];

const zeroes = (keys: readonly string[]): Record<string, number> =>
  Object.fromEntries(keys.map((k) => [k, 0]));

export async function summaryReport(db: Db, window: ReportWindow): Promise<SummaryReport> {
  const range = { ...(window.from ? { gte: window.from } : {}), lt: window.to };
  const opened: Prisma.DisputeWhereInput = { openedAt: range };
  const closed: Prisma.DisputeWhereInput = { closedAt: range, phase: 'closed' };
  const missed: Prisma.DisputeEventWhereInput = {
    type: 'escalated',
    at: range,
    // Timeline data is JSON text written by JSON.stringify, so the pair has exactly this form.
    data: { contains: '"trigger":"deadline_missed"' },
  };

  const [
    byPhase,
    byReason,
    byResolution,
    byRootCause,
    durations,
    missedCount,
    missedDisputes,
    escalated,
    adjustments,
  ] = await Promise.all([
    db.dispute.groupBy({ by: ['phase'], where: opened, _count: { _all: true } }),
    db.dispute.groupBy({ by: ['reason'], where: opened, _count: { _all: true } }),
    db.dispute.groupBy({ by: ['resolution'], where: closed, _count: { _all: true } }),
    db.dispute.groupBy({ by: ['rootCause'], where: closed, _count: { _all: true } }),
    resolveTimes(db, window, 'window'),
    db.disputeEvent.count({ where: missed }),
    db.disputeEvent.groupBy({ by: ['disputeId'], where: missed }),
    db.dispute.count({ where: { ...opened, escalationLevel: { gt: 0 } } }),
    db.adjustment.groupBy({
      by: ['kind', 'currency'],
      where: { createdAt: range },
      _sum: { amount: true },
      _count: { _all: true },
      orderBy: [{ kind: 'asc' }, { currency: 'asc' }],
    }),
  ]);

  const count = (rows: { _count: { _all: number } }[]): number =>
    rows.reduce((n, r) => n + r._count._all, 0);
  const tally = (
    keys: readonly string[],
    rows: { key: string | null; n: number }[],
  ): Record<string, number> => {
    const out = zeroes(keys);
    for (const { key, n } of rows) if (key !== null) out[key] = (out[key] ?? 0) + n;
    return out;
  };

  const byKind = adjustments.map((a) => ({
    kind: a.kind,
    currency: a.currency,
    amount: toMoneyDto(money(a._sum.amount ?? 0n, a.currency)),
    count: a._count._all,
  }));
  const sumOf = (kinds: readonly string[]): MoneyCount[] => {
    const perCurrency = new Map<string, { minor: bigint; count: number }>();
    for (const a of adjustments.filter((x) => kinds.includes(x.kind))) {
      const entry = perCurrency.get(a.currency) ?? { minor: 0n, count: 0 };
      entry.minor += a._sum.amount ?? 0n;
      entry.count += a._count._all;
      perCurrency.set(a.currency, entry);
    }
    return [...perCurrency].map(([currency, e]) => ({
      currency,
      amount: toMoneyDto(money(e.minor, currency)),
      count: e.count,
    }));
  };

  return {
    from: window.from?.toISOString() ?? null,
    to: window.to.toISOString(),
    opened: count(byPhase),
    byPhase: tally(
      PHASES,
      byPhase.map((r) => ({ key: r.phase, n: r._count._all })),
    ),
    byReason: tally(
      REASONS,
      byReason.map((r) => ({ key: r.reason, n: r._count._all })),
    ),
    closed: count(byResolution),
    byResolution: tally(
      RESOLUTIONS,
      byResolution.map((r) => ({ key: r.resolution, n: r._count._all })),
    ),
    byRootCause: byRootCause
      .map((r) => ({ rootCause: r.rootCause ?? 'unknown', count: r._count._all }))
      .sort((a, b) => b.count - a.count || a.rootCause.localeCompare(b.rootCause)),
    timeToResolve: {
      count: durations[0]?.closed ?? 0,
      medianSeconds: durations[0]?.medianSeconds ?? null,
      p90Seconds: durations[0]?.p90Seconds ?? null,
    },
    slaBreaches: {
      missedDeadlines: missedCount,
      disputesWithMissedDeadlines: missedDisputes.length,
      escalatedDisputes: escalated,
    },
    adjustments: { credits: sumOf(CREDIT_KINDS), debits: sumOf(DEBIT_KINDS), byKind },
    holds: await holdsByCustomer(db),
  };
}

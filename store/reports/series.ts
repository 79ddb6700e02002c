// Report series over a window: per week (Monday, UTC) disputes opened and closed, time to resolve
// of those closed, recurrences found in monitoring; per month credits and debits issued; and
// missed deadlines per escalation level. Weeks and months run without gaps over the window, from
// its first data point when the window is unbounded or longer than ten years.
import { DAY_MS } from '../../domain/calendar';
import { ESCALATION_LEVELS } from '../../domain/dispute';
import { money, toMoneyDto, type MoneyDto } from '../../domain/money';
import { Prisma, type Db } from '../db';
import { int, reportSql, resolveTimes, type ReportWindow } from './sql';

export interface WeekPoint {
  week: string;
  opened: number;
  closed: number;
  medianSecondsToResolve: number | null;
  p90SecondsToResolve: number | null;
  recurrences: number;
}

interface MoneyCount {
  currency: string;
  amount: MoneyDto;
  count: number;
}

export interface MonthPoint {
  month: string;
  credits: MoneyCount[];
  debits: MoneyCount[];
}

export interface SeriesReport {
  from: string | null;
  to: string;
  weeks: WeekPoint[];
  months: MonthPoint[];
  slaBreachesByLevel: { level: number; name: string; count: number }[];
}

const MAX_WEEKS = { count: 530, spanMs: 7 * DAY_MS };
const MAX_MONTHS = { count: 122, spanMs: 31 * DAY_MS };

function weekOf(at: Date): string {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

const monthOf = (at: Date): string => at.toISOString().slice(0, 7);

function weeksBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let at = Date.parse(first); at <= Date.parse(last); at += 7 * DAY_MS)
    out.push(new Date(at).toISOString().slice(0, 10));
  return out;
}

function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  for (let key = first; key <= last;) {
    out.push(key);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
    key = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
  }
  return out;
}

/** The buckets from the window's start (or its first data point) to its end, without gaps. */
function buckets(
  keyOf: (at: Date) => string,
  between: (first: string, last: string) => string[],
  window: ReportWindow,
  dataKeys: readonly string[],
  max: { count: number; spanMs: number },
): string[] {
  const lastKey = keyOf(new Date(window.to.getTime() - 1));
  const tooLong =
    !window.from || window.to.getTime() - window.from.getTime() > max.count * max.spanMs;
  const startKey =
    !tooLong && window.from
      ? keyOf(window.from)
      : dataKeys.reduce<string | null>((a, b) => (a === null || b < a ? b : a), null);
  if (startKey === null || startKey > lastKey) return [];
  return between(startKey, lastKey);
}

interface WeekCount {
  week: string;
  n: number | bigint;
}

interface MonthSum {
  month: string;
  kind: string;
  currency: string;
  total: string;
  n: number | bigint;
}

export async function seriesReport(db: Db, window: ReportWindow): Promise<SeriesReport> {
  const sql = reportSql(db, window);
  // Each query is built whole with Prisma.sql (see reportSql).
  const [opened, closed, recurrences, escalations, adjustments] = await Promise.all([
    db.$queryRaw<WeekCount[]>(
      Prisma.sql`
      SELECT ${sql.week('"openedAt"')} AS "week", COUNT(*) AS "n"
      FROM "Dispute" WHERE ${sql.within('"openedAt"')}
      GROUP BY 1`,
    ),
    resolveTimes(db, window, 'week'),
    db.$queryRaw<WeekCount[]>(
      Prisma.sql`
      SELECT ${sql.week('"at"')} AS "week", COUNT(*) AS "n"
      FROM "DisputeEvent" WHERE "type" = 'recurrence_found' AND ${sql.within('"at"')}
      GROUP BY 1`,
    ),
    db.disputeEvent.findMany({
      // Timeline data is JSON text written by JSON.stringify, so the pair has exactly this form.
      where: {
        type: 'escalated',
        at: { ...(window.from ? { gte: window.from } : {}), lt: window.to },
        data: { contains: '"trigger":"deadline_missed"' },
      },
      select: { data: true },
    }),
    db.$queryRaw<MonthSum[]>(
      Prisma.sql`
      SELECT ${sql.month('"createdAt"')} AS "month", "kind", "currency",
        CAST(SUM("amount") AS TEXT) AS "total", COUNT(*) AS "n"
      FROM "Adjustment"
      WHERE "kind" IN ('credit_note', 'debit_note') AND ${sql.within('"createdAt"')}
      GROUP BY 1, 2, 3`,
    ),
  ]);

  const openedPerWeek = new Map(opened.map((r) => [r.week, int(r.n)]));
  const closedPerWeek = new Map(closed.map((r) => [r.bucket, r]));
  const recurrencesPerWeek = new Map(recurrences.map((r) => [r.week, int(r.n)]));
  const weekKeys = [...openedPerWeek.keys(), ...closedPerWeek.keys(), ...recurrencesPerWeek.keys()];
  const weeks = buckets(weekOf, weeksBetween, window, weekKeys, MAX_WEEKS).map((week) => {
    const resolved = closedPerWeek.get(week);
    return {
      week,
      opened: openedPerWeek.get(week) ?? 0,
      closed: resolved?.closed ?? 0,
      medianSecondsToResolve: resolved?.medianSeconds ?? null,
      p90SecondsToResolve: resolved?.p90Seconds ?? null,
      recurrences: recurrencesPerWeek.get(week) ?? 0,
    };
  });

  const sideOf = (month: string, kind: string): MoneyCount[] =>
    adjustments
      .filter((a) => a.month === month && a.kind === kind)
      .map((a) => ({
        currency: a.currency,
        amount: toMoneyDto(money(BigInt(a.total), a.currency)),
        count: int(a.n),
      }))
      .sort((a, b) => a.currency.localeCompare(b.currency));
  const months = buckets(
    monthOf,
    monthsBetween,
    window,
    adjustments.map((a) => a.month),
    MAX_MONTHS,
  ).map((month) => ({
    month,
    credits: sideOf(month, 'credit_note'),
    debits: sideOf(month, 'debit_note'),
  }));

  const perLevel = new Map<number, number>();
  for (const e of escalations) {
    const level = (JSON.parse(e.data) as { level?: unknown }).level;
    if (typeof level === 'number') perLevel.set(level, (perLevel.get(level) ?? 0) + 1);
  }
  return {
    from: window.from?.toISOString() ?? null,
    to: window.to.toISOString(),
    weeks,
    months,
    slaBreachesByLevel: ESCALATION_LEVELS.slice(1).map((name, i) => ({
      level: i + 1,
      name,
      count: perLevel.get(i + 1) ?? 0,
    })),
  };
}

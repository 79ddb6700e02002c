// Report series over a window: per week (Monday, UTC) disputes opened and closed, time to resolve
// of those closed, recurrences found in monitoring; per month credits and debits issued; and
// missed deadlines per escalation level. Weeks and months run without gaps over the window, from
// its first data point when the window is unbounded or longer than ten years.
import { DAY_MS } from '../../domain/calendar';
import { ESCALATION_LEVELS } from '../../domain/dispute';
import { money, toMoneyDto, type MoneyDto } from '../../domain/money';
import type { Db } from '../db';
import { percentile, type ReportWindow } from './summary';

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
  data: readonly Date[],
  max: { count: number; spanMs: number },
): string[] {
  const first = data.length ? data.reduce((a, b) => (a < b ? a : b)) : null;
  const lastKey = keyOf(new Date(window.to.getTime() - 1));
  const tooLong =
    !window.from || window.to.getTime() - window.from.getTime() > max.count * max.spanMs;
  const start = !tooLong && window.from ? window.from : first;
  if (!start) return [];
  const startKey = keyOf(start);
  return startKey > lastKey ? [] : between(startKey, lastKey);
}

const count = (keys: readonly string[]): Map<string, number> => {
  const out = new Map<string, number>();
  for (const key of keys) out.set(key, (out.get(key) ?? 0) + 1);
  return out;
};

export async function seriesReport(db: Db, window: ReportWindow): Promise<SeriesReport> {
  const range = { ...(window.from ? { gte: window.from } : {}), lt: window.to };
  const [opened, closed, recurrences, escalations, adjustments] = await Promise.all([
    db.dispute.findMany({ where: { openedAt: range }, select: { openedAt: true } }),
    db.dispute.findMany({
      where: { closedAt: range, phase: 'closed' },
      select: { openedAt: true, closedAt: true },
    }),
    db.disputeEvent.findMany({
      where: { type: 'recurrence_found', at: range },
      select: { at: true },
    }),
    db.disputeEvent.findMany({
      // Timeline data is JSON text written by JSON.stringify, so the pair has exactly this form.
      where: { type: 'escalated', at: range, data: { contains: '"trigger":"deadline_missed"' } },
      select: { data: true },
    }),
    db.adjustment.findMany({
      where: { createdAt: range, kind: { in: ['credit_note', 'debit_note'] } },
      select: { kind: true, currency: true, amount: true, createdAt: true },
    }),
  ]);

  const closedAt = closed.flatMap((d) => (d.closedAt ? [{ ...d, closedAt: d.closedAt }] : []));
  const weekData = [
    ...opened.map((d) => d.openedAt),
    ...closedAt.map((d) => d.closedAt),
    ...recurrences.map((e) => e.at),
  ];
  const openedPerWeek = count(opened.map((d) => weekOf(d.openedAt)));
  const recurrencesPerWeek = count(recurrences.map((e) => weekOf(e.at)));
  const durations = new Map<string, number[]>();
  for (const d of closedAt) {
    const key = weekOf(d.closedAt);
    const seconds = Math.max(0, Math.round((d.closedAt.getTime() - d.openedAt.getTime()) / 1000));
    durations.set(key, [...(durations.get(key) ?? []), seconds]);
  }
  const weeks = buckets(weekOf, weeksBetween, window, weekData, MAX_WEEKS).map((week) => {
    const seconds = (durations.get(week) ?? []).sort((a, b) => a - b);
    return {
      week,
      opened: openedPerWeek.get(week) ?? 0,
      closed: seconds.length,
      medianSecondsToResolve: percentile(seconds, 50),
      p90SecondsToResolve: percentile(seconds, 90),
      recurrences: recurrencesPerWeek.get(week) ?? 0,
    };
  });

  const sums = new Map<string, { minor: bigint; count: number }>();
  for (const a of adjustments) {
    const key = `${monthOf(a.createdAt)}|${a.kind}|${a.currency}`;
    const entry = sums.get(key) ?? { minor: 0n, count: 0 };
    entry.minor += a.amount;
    entry.count += 1;
    sums.set(key, entry);
  }
  const sideOf = (month: string, kind: string): MoneyCount[] =>
    [...sums]
      .filter(([key]) => key.startsWith(`${month}|${kind}|`))
      .map(([key, e]) => {
        const currency = key.split('|')[2]!;
        return { currency, amount: toMoneyDto(money(e.minor, currency)), count: e.count };
      })
      .sort((a, b) => a.currency.localeCompare(b.currency));
  const months = buckets(
    monthOf,
    monthsBetween,
    window,
    adjustments.map((a) => a.createdAt),
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

// The SQL the reports share: bucket keys and window bounds computed by the database, so a report
// reads one row per bucket rather than one per dispute, and the nearest-rank percentiles of the
// time to resolve taken there too. SQLite keeps timestamps as ISO-8601 text, PostgreSQL as
// `timestamp(3)` in UTC; only the date arithmetic differs between the two.
import { dialectOf, Prisma, type Db, type SqlDialect } from '../db';

/** A report's window: [from, to), or everything before `to`. */
export interface ReportWindow {
  from: Date | null;
  to: Date;
}

const DATE_SQL: Record<
  SqlDialect,
  {
    /** The Monday (UTC) of the timestamp's week, as `YYYY-MM-DD`. */
    week(column: string): string;
    /** Its month, as `YYYY-MM`. */
    month(column: string): string;
    /** Whole milliseconds from one timestamp to another. */
    millis(from: string, to: string): string;
  }
> = {
  sqlite: {
    week: (column) => `date(${column}, '-6 days', 'weekday 1')`,
    month: (column) => `strftime('%Y-%m', ${column})`,
    millis: (from, to) =>
      `CAST(round((julianday(${to}) - julianday(${from})) * 86400000) AS INTEGER)`,
  },
  postgresql: {
    week: (column) => `to_char(date_trunc('week', ${column}), 'YYYY-MM-DD')`,
    month: (column) => `to_char(${column}, 'YYYY-MM')`,
    millis: (from, to) => `CAST(EXTRACT(EPOCH FROM (${to} - ${from})) * 1000 AS BIGINT)`,
  },
};

/** Counts come back as numbers from SQLite and as bigints from PostgreSQL. */
export const int = (value: number | bigint): number => Number(value);

/**
 * Fragments for one client and window. Queries must be built whole with this module's
 * `Prisma.sql` and passed as one argument: the PostgreSQL client's own template tag has another
 * Sql class and would not see nested fragments as SQL.
 */
export interface ReportSql {
  week(column: string): Prisma.Sql;
  month(column: string): Prisma.Sql;
  /** The column's timestamp lies in the window [from, to). */
  within(column: string): Prisma.Sql;
  millis(from: string, to: string): Prisma.Sql;
}

export function reportSql(db: Db, window: ReportWindow): ReportSql {
  const dialect = DATE_SQL[dialectOf(db)];
  return {
    week: (column: string): Prisma.Sql => Prisma.raw(dialect.week(column)),
    month: (column: string): Prisma.Sql => Prisma.raw(dialect.month(column)),
    within: (column: string): Prisma.Sql =>
      window.from
        ? Prisma.sql`${Prisma.raw(column)} >= ${window.from} AND ${Prisma.raw(column)} < ${window.to}`
        : Prisma.sql`${Prisma.raw(column)} < ${window.to}`,
    millis: (from: string, to: string): Prisma.Sql => Prisma.raw(dialect.millis(from, to)),
  };
}

export interface ResolveTimes {
  /** The week (`YYYY-MM-DD`), or `window` for the whole window. */
  bucket: string;
  closed: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

interface ResolveTimesRow {
  bucket: string;
  closed: number | bigint;
  median: number | bigint | null;
  p90: number | bigint | null;
}

/**
 * Disputes closed in the window, with the nearest-rank median and p90 of their seconds from
 * opening to closing (rounded half up, never below zero) — the rows ranked ceil(p × n / 100) —
 * per week of closing or over the whole window. Buckets without a closed dispute have no row.
 */
export async function resolveTimes(
  db: Db,
  window: ReportWindow,
  per: 'week' | 'window',
): Promise<ResolveTimes[]> {
  const sql = reportSql(db, window);
  const millis = sql.millis('"openedAt"', '"closedAt"');
  const bucket = per === 'week' ? sql.week('"closedAt"') : Prisma.sql`'window'`;
  const rows = await db.$queryRaw<ResolveTimesRow[]>(Prisma.sql`
    WITH "resolved" AS (
      SELECT ${bucket} AS "bucket",
        CASE WHEN ${millis} <= 0 THEN 0 ELSE (${millis} + 500) / 1000 END AS "seconds"
      FROM "Dispute" WHERE "phase" = 'closed' AND ${sql.within('"closedAt"')}
    ), "ranked" AS (
      SELECT "bucket", "seconds",
        ROW_NUMBER() OVER (PARTITION BY "bucket" ORDER BY "seconds") AS "rank",
        COUNT(*) OVER (PARTITION BY "bucket") AS "closed"
      FROM "resolved"
    )
    SELECT "bucket", MAX("closed") AS "closed",
      MIN(CASE WHEN "rank" = (50 * "closed" + 99) / 100 THEN "seconds" END) AS "median",
      MIN(CASE WHEN "rank" = (90 * "closed" + 99) / 100 THEN "seconds" END) AS "p90"
    FROM "ranked" GROUP BY "bucket"`);
  return rows.map((r) => ({
    bucket: r.bucket,
    closed: int(r.closed),
    medianSeconds: r.median === null ? null : int(r.median),
    p90Seconds: r.p90 === null ? null : int(r.p90),
  }));
}

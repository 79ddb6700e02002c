import { ROLES } from '../../config';
import { z } from 'zod';
import type { AppDeps } from '../http/deps';
import { seriesReport } from '../../store/reports/series';
import type { ReportWindow } from '../../store/reports/sql';
import { summaryReport } from '../../store/reports/summary';
import { badRequest } from '../http/errors';
import { defineRoute, type AnyRoute } from '../http/route';
import { moneySchema } from '../http/schemas';

/** A date (midnight UTC) or a date-time with an offset. */
const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value));

const summaryQuery = z
  .object({
    from: instant
      .optional()
      .describe('Start of the window, inclusive; unbounded when absent; not after `to` (400)'),
    to: instant
      .optional()
      .describe('End of the window, exclusive; when absent now, or `from` if that is later'),
  })
  .strict();

const moneyCount = z.object({ currency: z.string(), amount: moneySchema, count: z.number().int() });

const summarySchema = z.object({
  from: z.iso.datetime().nullable(),
  to: z.iso.datetime(),
  opened: z.number().int().describe('Disputes opened in the window'),
  byPhase: z
    .record(z.string(), z.number().int())
    .describe('Disputes opened in the window, by current phase'),
  byReason: z
    .record(z.string(), z.number().int())
    .describe('Disputes opened in the window, by reason'),
  closed: z.number().int().describe('Disputes closed in the window'),
  byResolution: z.record(z.string(), z.number().int()),
  byRootCause: z
    .array(z.object({ rootCause: z.string(), count: z.number().int() }))
    .describe('Disputes closed in the window by root cause, most frequent first (a Pareto list)'),
  timeToResolve: z
    .object({
      count: z.number().int(),
      medianSeconds: z.number().int().nullable(),
      p90Seconds: z.number().int().nullable(),
    })
    .describe(
      'From opening to closing, of disputes closed in the window (nearest-rank percentiles)',
    ),
  slaBreaches: z.object({
    missedDeadlines: z
      .number()
      .int()
      .describe('Escalations in the window because a deadline passed'),
    disputesWithMissedDeadlines: z.number().int(),
    escalatedDisputes: z
      .number()
      .int()
      .describe('Disputes opened in the window now above escalation level 0'),
  }),
  adjustments: z
    .object({
      credits: z.array(moneyCount).describe('Credit notes issued, per currency'),
      debits: z.array(moneyCount).describe('Debit notes issued, per currency'),
      byKind: z.array(moneyCount.extend({ kind: z.string() })),
    })
    .describe('Correction documents issued in the window; amounts include tax'),
  holds: z
    .array(z.object({ customerId: z.string(), amount: moneySchema, disputes: z.number().int() }))
    .describe('Amount on collection hold now (not windowed), per customer and currency'),
});

const seriesSchema = z.object({
  from: z.iso.datetime().nullable(),
  to: z.iso.datetime(),
  weeks: z
    .array(
      z.object({
        week: z.iso.date().describe('The Monday (UTC) the week starts on'),
        opened: z.number().int(),
        closed: z.number().int(),
        medianSecondsToResolve: z.number().int().nullable(),
        p90SecondsToResolve: z.number().int().nullable(),
        recurrences: z.number().int().describe('Recurrences found by disputes in monitoring'),
      }),
    )
    .describe('Every week of the window (from its first data point when it has no start)'),
  months: z.array(
    z.object({
      month: z.string().describe('YYYY-MM'),
      credits: z.array(moneyCount).describe('Credit notes issued, per currency'),
      debits: z.array(moneyCount).describe('Debit notes issued, per currency'),
    }),
  ),
  slaBreachesByLevel: z
    .array(z.object({ level: z.number().int(), name: z.string(), count: z.number().int() }))
    .describe('Deadlines missed in the window, by the escalation level they led to'),
});

export function reportRoutes({ db, now }: AppDeps): AnyRoute[] {
  const windowOf = (query: z.output<typeof summaryQuery>): ReportWindow => {
    // Swapped bounds are a mistake worth saying; a start in the future is just an empty window.
    if (query.from && query.to && query.from.getTime() > query.to.getTime()) {
      throw badRequest('from must not be after to', [
        { path: '$.from', message: 'must not be after to' },
      ]);
    }
    const current = now ? now() : new Date();
    const to = query.to ?? (query.from && query.from > current ? query.from : current);
    return { from: query.from ?? null, to };
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/reports/summary',
      summary: 'Counts, time to resolve, SLA breaches, credits and debits over a window',
      tag: 'reports',
      roles: ROLES,
      query: summaryQuery,
      success: { status: 200, description: 'The summary', schema: summarySchema },
      handler: async ({ query }) => summaryReport(db, windowOf(query)),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/reports/series',
      summary: 'Per week and per month over a window: opened, closed, time to resolve, credits…',
      tag: 'reports',
      roles: ROLES,
      query: summaryQuery,
      success: { status: 200, description: 'The series', schema: seriesSchema },
      handler: async ({ query }) => seriesReport(db, windowOf(query)),
    }),
  ];
}

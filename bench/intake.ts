// Intake as a deployment runs it: the API and the worker(s) are separate processes, the load
// generator is this one, and "acknowledged" is the acknowledgement email arriving at an SMTP sink
// of its own process (what the customer sees; the email is sent after the timeline records
// `acknowledged`, so this is the stricter measure). Per stack: a closed loop (8 clients, each
// waiting for its acknowledgement before the next dispute, like the `disputes` benchmark), then
// open loops at rising fixed arrival rates until one no longer holds p99 < 1 s.
//
// Stacks: the dev server in memory (the embedded stack), on a file as `npm start` runs it (WAL,
// synchronous=normal) and on a file with SQLite's defaults (before that tuning), and the Temporal
// server on PostgreSQL with Settle on PostgreSQL, with one and with two workers.
// Environment: BENCH_INTAKE_STACKS (e.g. memory,file), BENCH_INTAKE_RATES (per second, e.g.
// 10,25,50), BENCH_INTAKE_SECONDS (per rate), BENCH_INTAKE_CLOSED (disputes in the closed loop).
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresRunning, stopPostgres } from '../scripts/cluster/postgres';
import type { DatabaseKind } from '../store/database-url';
import { disputableInvoices, type DisputableInvoice } from '../test/support/disputable-invoices';
import { openOver } from '../test/support/process-disputes';
import { startProcessStack, type ProcessStack } from '../test/support/process-stack';
import {
  startClusterServer,
  startDevServer,
  type TemporalServer,
} from '../test/support/temporal-servers';
import { startAckSink, type AckSink } from './ack-sink';
import type { BenchContext, Benchmark, Measurement } from './benchmark';
import { runOpenLoop, type OpenLoopResult } from './open-loop';
import {
  formatNumber,
  positiveNumbers,
  statsOf,
  textTable,
  type MeasurementResult,
} from './report';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLIENTS = 8;
const P99_LIMIT_MS = 1000;
/** The issue's target, on the embedded stack. */
const TARGET_PER_SECOND = 100;
const ACK_GRACE_MS = 120_000;
const DRAIN_TIMEOUT_MS = 600_000;

interface StackPlan {
  key: string;
  label: string;
  database: DatabaseKind;
  workers: number;
  temporal(logDir: string): Promise<TemporalServer>;
}

const STACKS: readonly StackPlan[] = [
  {
    key: 'memory',
    label: 'dev server in memory',
    database: 'sqlite',
    workers: 1,
    temporal: (logDir) => startDevServer({ logDir }),
  },
  {
    key: 'file-untuned',
    label: 'dev server on a file, SQLite defaults',
    database: 'sqlite',
    workers: 1,
    temporal: (logDir) =>
      startDevServer({
        logDir,
        dbFile: path.join(mkdtempSync(path.join(logDir, 'state-')), 'temporal.db'),
        sqlitePragmas: [],
      }),
  },
  {
    key: 'file',
    label: 'npm start: dev server on a file, WAL',
    database: 'sqlite',
    workers: 1,
    temporal: (logDir) =>
      startDevServer({
        logDir,
        dbFile: path.join(mkdtempSync(path.join(logDir, 'state-')), 'temporal.db'),
      }),
  },
  {
    key: 'cluster-1',
    label: 'Temporal on PostgreSQL, 1 worker',
    database: 'postgresql',
    workers: 1,
    temporal: (logDir) => startClusterServer({ logDir }),
  },
  {
    key: 'cluster-2',
    label: 'Temporal on PostgreSQL, 2 workers',
    database: 'postgresql',
    workers: 2,
    temporal: (logDir) => startClusterServer({ logDir }),
  },
];

interface Settings {
  stacks: StackPlan[];
  rates: number[];
  seconds: number;
  closed: number;
}

function settings(quick: boolean): Settings {
  const keys = process.env.BENCH_INTAKE_STACKS?.split(',').map((k) => k.trim());
  const unknown = keys?.filter((k) => !STACKS.some((s) => s.key === k)) ?? [];
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_INTAKE_STACKS: unknown ${unknown.join(', ')}; known: ${STACKS.map((s) => s.key).join(', ')}`,
    );
  }
  return {
    stacks: keys ? STACKS.filter((s) => keys.includes(s.key)) : [...STACKS],
    rates:
      positiveNumbers(process.env.BENCH_INTAKE_RATES) ?? (quick ? [5, 10] : [10, 25, 50, 100, 150]),
    seconds: positiveNumbers(process.env.BENCH_INTAKE_SECONDS)?.[0] ?? (quick ? 5 : 30),
    closed: positiveNumbers(process.env.BENCH_INTAKE_CLOSED)?.[0] ?? (quick ? 16 : 48),
  };
}

/** Waits until every dispute's investigation is done, so the next load starts on a quiet stack. */
async function drain(
  ctx: BenchContext,
  stack: ProcessStack,
  ids: readonly string[],
): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    let done = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      done += await stack.database.db.dispute.count({
        where: { id: { in: ids.slice(i, i + 1000) }, phase: 'awaiting_decision' },
      });
    }
    ctx.progress('letting the investigations finish', done, ids.length);
    if (done === ids.length) return;
    if (Date.now() > deadline) throw new Error(`${ids.length - done} disputes still investigating`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function closedLoop(
  stack: ProcessStack,
  sink: AckSink,
  invoices: readonly DisputableInvoice[],
  onProgress: (done: number) => void,
): Promise<{ latencies: number[]; perSecond: number; ids: string[] }> {
  const latencies: number[] = [];
  const ids: string[] = [];
  let next = 0;
  const started = Date.now();
  const client = async (): Promise<void> => {
    while (next < invoices.length) {
      const invoice = invoices[next]!;
      next += 1;
      const t0 = Date.now();
      const id = await openOver(stack, invoice);
      ids.push(id);
      latencies.push((await sink.until(id, ACK_GRACE_MS)) - t0);
      onProgress(latencies.length);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return { latencies, perSecond: (invoices.length * 1000) / (Date.now() - started), ids };
}

function holds(step: OpenLoopResult): boolean {
  return (
    step.errors === 0 &&
    step.acknowledged === step.sent &&
    statsOf(step.latencies).p99 < P99_LIMIT_MS
  );
}

async function runStack(
  ctx: BenchContext,
  plan: StackPlan,
  options: Settings,
  sink: AckSink,
  logRoot: string,
): Promise<Measurement[]> {
  const logDir = path.join(logRoot, plan.key);
  mkdirSync(logDir, { recursive: true });
  ctx.progress(`${plan.key}: starting Temporal`);
  const temporal = await plan.temporal(logDir);
  ctx.progress(`${plan.key}: starting the API and ${plan.workers} worker(s)`);
  let stack: ProcessStack;
  try {
    stack = await startProcessStack({
      temporal,
      database: plan.database,
      workers: plan.workers,
      logDir,
      smtpUrl: sink.smtpUrl,
      env: { RATE_LIMIT_PER_MINUTE: '0' },
    });
  } catch (error) {
    await temporal.stop();
    throw error;
  }
  try {
    const needed =
      CLIENTS +
      options.closed +
      options.rates.reduce((sum, r) => sum + Math.round(r * options.seconds), 0);
    const { bundle, invoices } = disputableInvoices(`I${plan.key.replace(/\W/g, '')}`, needed);
    ctx.progress(`${plan.key}: importing ${needed} invoices`);
    const imported = await stack.call('POST', '/v1/import', { role: 'operations', body: bundle });
    if (imported.status !== 200) throw new Error(`import: ${imported.status}`);
    let used = 0;
    const take = (count: number): DisputableInvoice[] => invoices.slice(used, (used += count));

    ctx.progress(`${plan.key}: warm-up`);
    const warm = await closedLoop(stack, sink, take(CLIENTS), () => undefined);
    await drain(ctx, stack, warm.ids);

    const closed = await closedLoop(stack, sink, take(options.closed), (done) =>
      ctx.progress(`${plan.key}: closed loop, ${CLIENTS} clients`, done, options.closed),
    );
    await drain(ctx, stack, closed.ids);
    const measurements: Measurement[] = [
      {
        name: `${plan.key}: closed loop, ${CLIENTS} clients`,
        unit: 'ms',
        samples: closed.latencies,
        throughput: { perSecond: closed.perSecond, unit: 'disputes/s' },
        details: { stack: plan.label, key: plan.key, mode: 'closed', clients: CLIENTS },
      },
    ];

    let best = 0;
    for (const rate of options.rates) {
      const step = await runOpenLoop({
        ratePerSecond: rate,
        seconds: options.seconds,
        invoices: take(Math.round(rate * options.seconds)),
        open: (invoice) => openOver(stack, invoice),
        sink,
        graceMs: ACK_GRACE_MS,
        onProgress: (sent, total) => ctx.progress(`${plan.key}: ${rate}/s open loop`, sent, total),
      });
      const ok = holds(step);
      if (ok) best = rate;
      const post = statsOf(step.postLatencies);
      measurements.push({
        name: `${plan.key}: open loop ${rate}/s`,
        unit: 'ms',
        samples: step.latencies,
        throughput: { perSecond: step.achievedPerSecond, unit: 'disputes/s' },
        details: {
          stack: plan.label,
          key: plan.key,
          mode: 'open',
          ratePerSecond: rate,
          seconds: step.seconds,
          offeredPerSecond: step.offeredPerSecond,
          achievedPerSecond: step.achievedPerSecond,
          sent: step.sent,
          acknowledged: step.acknowledged,
          errors: step.errors,
          errorSamples: step.errorSamples,
          postP50Ms: post.p50,
          postP99Ms: post.p99,
          maxGeneratorLagMs: step.maxLagMs,
          holdsP99UnderOneSecond: ok,
        },
      });
      // A rate that does not hold leaves the next, higher one nothing to show but a longer queue;
      // one that does is followed by the next once its investigations are done.
      if (!ok) break;
      await drain(ctx, stack, step.ids);
    }
    measurements.push({
      name: `${plan.key}: highest rate with p99 < 1 s`,
      unit: 'disputes/s',
      samples: [best],
      details: { stack: plan.label, key: plan.key, mode: 'summary', rates: options.rates },
      ...(plan.key === 'memory'
        ? { target: { stat: 'max' as const, min: TARGET_PER_SECOND } }
        : {}),
    });
    return measurements;
  } finally {
    ctx.progress(`${plan.key}: stopping`);
    await stack.stop();
    await temporal.stop();
  }
}

const ms = (value: number): string => (Number.isFinite(value) ? `${formatNumber(value)} ms` : '—');

/** Offered rates down, stacks across: achieved rate, p50 / p99 to the acknowledgement email. */
function report(results: readonly MeasurementResult[]): string {
  const stacks = [...new Set(results.map((r) => String(r.details.key)))];
  const labelOf = (key: string): string =>
    (results.find((r) => r.details.key === key)?.details.stack as string | undefined) ?? key;
  const cell = (key: string, mode: string, rate?: number): string => {
    const result = results.find(
      (r) =>
        r.details.key === key &&
        r.details.mode === mode &&
        (rate === undefined || r.details.ratePerSecond === rate),
    );
    if (!result) {
      const failed = results.some((r) => r.details.key === key && r.details.mode === 'failed');
      return failed ? 'failed' : 'not run';
    }
    if (mode === 'summary')
      return result.samples[0] ? `${formatNumber(result.samples[0])}/s` : 'none';
    const d = result.details;
    const achieved = formatNumber(result.throughput?.perSecond ?? 0);
    const missing = mode === 'open' ? Number(d.sent) - Number(d.acknowledged) : 0;
    return `${achieved}/s  ${ms(result.stats.p50)} / ${ms(result.stats.p99)}${missing ? `  (${missing} unacked)` : ''}${d.errors ? `  (${Number(d.errors)} errors)` : ''}`;
  };
  const rates = [
    ...new Set(
      results.filter((r) => r.details.mode === 'open').map((r) => Number(r.details.ratePerSecond)),
    ),
  ].sort((a, b) => a - b);
  const header = ['offered', ...stacks.map(labelOf)];
  const rows = [
    [`closed, ${CLIENTS} clients`, ...stacks.map((k) => cell(k, 'closed'))],
    ...rates.map((rate) => [`${rate}/s`, ...stacks.map((k) => cell(k, 'open', rate))]),
    ['highest with p99 < 1 s', ...stacks.map((k) => cell(k, 'summary'))],
  ];
  return textTable(
    'Intake: achieved rate, p50 / p99 from POST (when due) to the acknowledgement email at the SMTP sink',
    header,
    rows,
  );
}

export const benchmark: Benchmark = {
  description:
    'disputes opened through the API process, worker(s) in their own processes, open loop at fixed rates and closed loop, to the acknowledgement email (dev server in memory and on a file, Temporal on PostgreSQL with 1 and 2 workers)',
  async run(ctx) {
    const options = settings(ctx.quick);
    const logRoot = path.join(
      root,
      'var/bench-logs',
      new Date().toISOString().replace(/[:.]/g, '-'),
    );
    const sink = await startAckSink();
    ctx.defer(() => sink.stop());
    // The cluster stacks start the project-owned PostgreSQL; leave it as it was found.
    if (!postgresRunning()) {
      ctx.defer(() => {
        if (postgresRunning()) stopPostgres();
      });
    }
    const measurements: Measurement[] = [];
    for (const plan of options.stacks) {
      try {
        measurements.push(...(await runStack(ctx, plan, options, sink, logRoot)));
      } catch (error) {
        // The other stacks still run; this one shows as a failed row and fails the run.
        const message = error instanceof Error ? error.message : String(error);
        console.error(`[intake] ${plan.key} failed:`, error);
        measurements.push({
          name: `${plan.key}: failed (${message.split('\n')[0]!.slice(0, 80)})`,
          unit: '-',
          samples: [],
          target: { stat: 'max', max: 0 },
          details: { stack: plan.label, key: plan.key, mode: 'failed', error: message },
        });
      }
    }
    return measurements;
  },
  report,
};

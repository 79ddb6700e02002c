// Memory of the worker process as disputes pile up in monitoring, and the cost of waking one the
// sticky cache has evicted. N disputes (1,000; 100 with --quick; BENCH_MONITORING_DISPUTES) are
// brought to monitoring for real — the API runs in-process with a policy that auto-approves the
// 160.50 overcharge and the customer accepts each offer — while the worker runs as its own process
// (workers/main.ts) with WORKER_MAX_CACHED_WORKFLOWS as set, or the configured default. Worker RSS
// and heap (after a full GC) are read at every tenth of N, at most every 1,000 disputes.
// BENCH_MONITORING_PARKED above N parks more, as copies of the latest dispute's monitoring run (the
// input continue-as-new gives each dispute that waits in monitoring) under ids of their own: the
// worker then holds that many workflows waiting in monitoring without three hours of driving them
// there through the API. Copies have no database rows and are never woken.
// Then the disputes parked earliest get a `newInvoice` signal each, one at a time (after the latest
// parked through the API, still cached before any copy, as a baseline), naming a clean invoice of
// their customer: the same signal POST /v1/invoices sends. A wake is timed from the
// signal call to the server's time of the WorkflowTaskCompleted that handled it (the task that
// replays an evicted workflow's history, runs the signal handler and schedules the recurrence
// check); the worker's sticky_cache_miss metric tells an evicted dispute from a cached one.
import { tsToMs } from '@temporalio/common/lib/time';
// A CommonJS module: its namespace is the default export under tsx's ESM loader.
import proto from '@temporalio/proto';
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { buildApp } from '../api/app';
import { DEV_API_KEYS, loadConfig } from '../config';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import { startMailCatcher } from '../scripts/mail-catcher';
import { createTestDatabase } from '../test/support/database';
import { cleanInvoices } from '../test/support/disputable-invoices';
import { historiesOfEveryRun } from '../test/support/replay';
import { freePort, SECRETS } from '../test/support/stack';
import { startDevServerEnv, uniqueId } from '../test/support/temporal';
import { defaultPayloadConverter } from '@temporalio/common';
import type { DisputeInput } from '../domain/dispute';
import { disputeWorkflow } from '../workflows/dispute';
import { newInvoiceSignal } from '../workflows/messages';
import type { Resume } from '../workflows/state';
import { SCAN_SCHEDULE_ID } from '../workers/scan-schedule';
import type { Benchmark, Measurement } from './benchmark';
import {
  disputableInvoices,
  expectStatus,
  importThroughApi,
  inParallel,
  openThroughApi,
  phaseFinder,
  watchDisputes,
  type Call,
} from './disputes';
import { formatNumber, type MeasurementResult } from './report';
import { MiB, startWorkerProcess, type Latencies, type Reading } from './worker-process';

/** Disputes brought to monitoring before the first row, so bundle, caches and pools are warm. */
const WARMUP = 10;
const CONCURRENCY = 16;
const READINGS = 3;
const GiB_MB = 1024;
const WAKE_TARGET_MS = 100;
/** --quick: a cache smaller than its 100 disputes, so the wakes still replay. */
const QUICK_CACHE = 50;
const policy: Policy = { ...DEFAULT_POLICY, autoApproveLimit: '1000.00' };
const EventType = proto.temporal.api.enums.v1.EventType;

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const tenth = (value: number): number => Math.round(value * 10) / 10;
const count = (n: number): string => n.toLocaleString('en-US');

/** Count and mean (ms) of each histogram between two readings; the SDK reports seconds or ms. */
function latencyDelta(
  before: Latencies | null,
  after: Latencies,
): Record<string, { count: number; meanMs: number }> {
  const out: Record<string, { count: number; meanMs: number }> = {};
  for (const [name, { sum, count }] of after) {
    const was = before?.get(name) ?? { sum: 0, count: 0 };
    const n = count - was.count;
    if (n <= 0) continue;
    const mean = (sum - was.sum) / n;
    out[name] = { count: n, meanMs: tenth(name.includes('_seconds') ? mean * 1000 : mean) };
  }
  return out;
}

function positiveInteger(name: string, fallback: number): number {
  const given = process.env[name];
  if (given === undefined || given === '') return fallback;
  if (!/^\d+$/.test(given) || Number(given) < 1)
    throw new Error(`${name} must be a positive whole number`);
  return Number(given);
}

interface Point {
  disputes: number;
  readings: Reading[];
  cachedWorkflows: number;
}

interface Wake {
  disputeId: string;
  /** Signal call → WorkflowTaskCompleted of the task that handled it (server time). */
  handledMs: number;
  /** Of which: signal call → WorkflowTaskStarted (the server queued the task, a poller took it). */
  queuedMs: number;
  /** Of which: WorkflowTaskStarted → Completed (on a cache miss: fetch the history, replay it). */
  workerMs: number;
  /** Signal call → the task after the recurrence check completed: the invoice is checked. */
  checkedMs: number;
  /** The worker missed its cache for this wake: it fetched and replayed the whole history. */
  replayed: boolean;
  historyEvents: number;
}

export const benchmark: Benchmark = {
  description:
    'worker RSS and heap as disputes wait in monitoring (rows every tenth, at most every 1,000), and the wake of an evicted dispute by newInvoice',
  async run(ctx) {
    const disputes = positiveInteger('BENCH_MONITORING_DISPUTES', ctx.quick ? 100 : 1000);
    const step = Math.max(1, Math.min(1000, Math.round(disputes / 10)));
    const cacheSetting =
      process.env.WORKER_MAX_CACHED_WORKFLOWS ?? (ctx.quick ? String(QUICK_CACHE) : undefined);
    const cacheBound = loadConfig({
      WORKER_MAX_CACHED_WORKFLOWS: cacheSetting,
    }).WORKER_MAX_CACHED_WORKFLOWS;
    const wakes = Math.min(
      positiveInteger('BENCH_MONITORING_WAKES', ctx.quick ? 20 : 200),
      disputes,
    );
    if (disputes <= WARMUP) throw new Error(`BENCH_MONITORING_DISPUTES must exceed ${WARMUP}`);
    const parkedInAll = Math.max(disputes, positiveInteger('BENCH_MONITORING_PARKED', disputes));
    const copyStep = Math.max(1, Math.min(1000, Math.round(parkedInAll / 10)));

    ctx.progress('starting the Temporal dev server');
    const env = await startDevServerEnv();
    ctx.defer(() => env.teardown());
    const [database, catcher, metricsPort] = await Promise.all([
      createTestDatabase('sqlite'),
      startMailCatcher({ smtpPort: 0, httpPort: 0 }),
      freePort(),
    ]);
    ctx.defer(() => database.drop());
    ctx.defer(() => catcher.stop());
    const taskQueue = uniqueId('disputes-memory');
    const config = loadConfig({
      SETTLE_API_KEYS: DEV_API_KEYS,
      TEMPORAL_TASK_QUEUE: taskQueue,
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '0',
    });
    const app = await buildApp({ config, db: database.db, temporal: env.client, policy });
    ctx.defer(() => app.close());
    const call: Call = async (method, url, { role = 'manager', body } = {}) => {
      const response = await app.inject({
        method,
        url,
        headers: role ? { authorization: `Bearer ${SECRETS[role]}` } : {},
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return {
        status: response.statusCode,
        body: response.body ? JSON.parse(response.body) : undefined,
      };
    };

    ctx.progress('starting the worker process');
    const worker = startWorkerProcess({
      env,
      databaseUrl: database.url,
      smtpUrl: catcher.smtpUrl,
      taskQueue,
      metricsPort,
      extraEnv: { WORKER_MAX_CACHED_WORKFLOWS: String(cacheBound), LOG_LEVEL: 'warn' },
    });
    ctx.defer(() => worker.stop());
    const { orFail } = worker;

    // The worker creates the daily proactive-scan schedule; paused so no scan opens extra cases.
    await orFail(
      (async () => {
        for (;;) {
          const paused = await env.client.schedule
            .getHandle(SCAN_SCHEDULE_ID)
            .pause('benchmark')
            .then(
              () => true,
              () => false,
            );
          if (paused) return;
          await delay(200);
        }
      })(),
    );

    const { bundle, invoices } = disputableInvoices('M', disputes);
    ctx.progress(`importing ${count(invoices.length)} invoices to dispute`);
    await importThroughApi(call, bundle);

    const db = database.db;
    const offered = watchDisputes('awaiting_customer', phaseFinder(db, 'awaiting_customer'), {
      intervalMs: 250,
      timeoutMs: 300_000,
    });
    ctx.defer(() => offered.stop());
    const monitoring = watchDisputes('monitoring', phaseFinder(db, 'monitoring'), {
      intervalMs: 250,
      timeoutMs: 300_000,
    });
    ctx.defer(() => monitoring.stop());
    /** Dispute ids in the order they reached monitoring: the first are the least recently used. */
    const parked: { id: string; customerId: string }[] = [];
    const conflicts: { id: string; body: string }[] = [];
    const toMonitoring = async (batch: typeof invoices): Promise<void> => {
      await inParallel(batch, CONCURRENCY, async (invoice) => {
        const id = await openThroughApi(call, invoice, 'operations');
        await offered.until(id);
        // The read model may show the offer before the workflow's task that made it is durable
        // (a task lost on a loaded machine runs again): the workflow answers 409 until then.
        const deadline = Date.now() + 120_000;
        for (;;) {
          const accepted = await call('POST', `/v1/disputes/${id}/customer-response`, {
            role: 'agent',
            body: { accepted: true, comment: 'Thanks, the credit note works for us' },
          });
          if (accepted.status === 409 && Date.now() < deadline) {
            conflicts.push({ id, body: JSON.stringify(accepted.body).slice(0, 300) });
            await delay(500);
            continue;
          }
          expectStatus(`customer-response ${id}`, accepted, 200);
          break;
        }
        await monitoring.until(id);
        parked.push({ id, customerId: invoice.customerId });
        ctx.progress('disputes in monitoring', parked.length, disputes);
      });
    };
    /** Nothing left to send and the timelines stopped growing: the workflows only wait now. */
    const quiet = async (): Promise<void> => {
      let events = -1;
      for (;;) {
        const [pending, now] = await Promise.all([
          db.outboxMessage.count({ where: { status: 'pending' } }),
          db.disputeEvent.count(),
        ]);
        if (pending === 0 && now === events) return;
        events = now;
        await orFail(delay(2000));
      }
    };
    const point = async (done: number, what: string): Promise<Point> => {
      await orFail(quiet());
      const readings = await worker.readings(ctx, what, READINGS);
      const cachedWorkflows = (await worker.cache()).size;
      // A line per row as it comes, so a run stopped early still shows the growth.
      ctx.progress(
        `row: ${count(done)} disputes, RSS ${tenth(median(readings.map((r) => r.rssMB)))} MB, heap ${tenth(median(readings.map((r) => r.heapUsedMB)))} MB used of ${tenth(median(readings.map((r) => r.heapCommittedMB)))} MB, ${count(cachedWorkflows)} cached`,
      );
      return { disputes: done, readings, cachedWorkflows };
    };

    /**
     * Parks copies of the latest parked dispute's monitoring run until `parkedInAll` wait, a row
     * every `copyStep`, each batch handled by the worker (no workflow task pending) before its row.
     */
    const parkCopies = async (): Promise<void> => {
      const latest = parked.at(-1)!;
      const template = await env.client.workflow.getHandle(`dispute-${latest.id}`).fetchHistory();
      const started = template.events?.[0]?.workflowExecutionStartedEventAttributes;
      const [input, resume] = (started?.input?.payloads ?? []).map((p) =>
        defaultPayloadConverter.fromPayload(p),
      ) as [DisputeInput, Resume | undefined];
      if (resume?.view.phase !== 'monitoring')
        throw new Error(`dispute ${latest.id}: its latest run did not start in monitoring`);
      for (let done = disputes; done < parkedInAll;) {
        const next = Math.min(parkedInAll, (Math.floor(done / copyStep) + 1) * copyStep);
        const batch = Array.from({ length: next - done }, (_, i) => `COPY-${done + i + 1}`);
        let startedCount = 0;
        await orFail(
          inParallel(batch, CONCURRENCY, async (disputeId) => {
            await env.client.workflow.start(disputeWorkflow, {
              taskQueue,
              workflowId: `dispute-${disputeId}`,
              args: [
                { ...input, disputeId },
                { ...resume, view: { ...resume.view, id: disputeId } },
              ],
            });
            startedCount += 1;
            ctx.progress('parking copies in monitoring', done + startedCount, parkedInAll);
          }),
        );
        await orFail(
          inParallel(batch, CONCURRENCY, async (disputeId) => {
            const handle = env.client.workflow.getHandle(`dispute-${disputeId}`);
            while ((await handle.describe()).raw.pendingWorkflowTask) await delay(100);
          }),
        );
        done = next;
        points.push(await point(done, `${count(done)} in monitoring`));
      }
    };

    await orFail(delay(2000));
    const idle = await point(0, 'idle');
    await orFail(toMonitoring(invoices.slice(0, WARMUP)));
    const points: Point[] = [await point(WARMUP, `${WARMUP} in monitoring`)];
    const started = performance.now();
    for (let done = WARMUP; done < disputes;) {
      const next = Math.min(disputes, (Math.floor(done / step) + 1) * step);
      await orFail(toMonitoring(invoices.slice(done, next)));
      done = next;
      points.push(await point(done, `${count(done)} in monitoring`));
    }
    const driveMs = performance.now() - started;

    const phases = await db.dispute.groupBy({ by: ['phase'], _count: true });
    const waiting = phases.find((p) => p.phase === 'monitoring')?._count ?? 0;
    if (waiting !== disputes)
      throw new Error(`expected ${disputes} in monitoring: ${JSON.stringify(phases)}`);

    // Wakes: a clean invoice per customer, recorded without signalling (an import), then signalled.
    const { bundle: clean, invoiceOf } = cleanInvoices([
      ...new Set(invoices.map((i) => i.customerId)),
    ]);
    await importThroughApi(call, clean);
    // First, as a baseline under the same load, the latest parked: cached, and a hit evicts
    // nothing. Then the earliest parked, evicted once more than the bound parked after them (each
    // of their wakes evicts the least recently used, so they must come last).
    const cachedWakes = Math.min(wakes, cacheBound, disputes - wakes);
    const targets = [...parked.slice(disputes - cachedWakes), ...parked.slice(0, wakes)];
    const workflowIds = new Map(
      (
        await db.dispute.findMany({
          where: { id: { in: targets.map((t) => t.id) } },
          select: { id: true, workflowId: true },
        })
      ).map((d) => [d.id, d.workflowId]),
    );
    const loadAtWakes = os.loadavg()[0]!;
    const wakeResults: Wake[] = [];
    // The SDK core's own latencies over the evicted wakes: where a cache miss spends its time.
    let beforeEvicted: Latencies | null = null;
    for (const target of targets) {
      if (wakeResults.length === cachedWakes) {
        if (parkedInAll > disputes) await parkCopies();
        beforeEvicted = await worker.latencies();
      }
      ctx.progress('waking disputes with newInvoice', wakeResults.length, targets.length);
      wakeResults.push(
        await orFail(
          wake(
            env.client.workflow.getHandle(workflowIds.get(target.id)!),
            target.id,
            invoiceOf.get(target.customerId)!,
          ),
        ),
      );
    }
    const evictedLatencies = latencyDelta(beforeEvicted, await worker.latencies());
    for (const [name, l] of Object.entries(evictedLatencies))
      ctx.progress(`evicted wakes, ${name}: ${l.count} × ${l.meanMs} ms`);
    const afterWakes = await point(
      parkedInAll,
      `${count(parkedInAll)} in monitoring, after the wakes`,
    );

    const last = points.at(-1)!;
    const heapLimitMiB = Math.round(
      idle.readings[0]!.threads.find((t) => t.threadId === 0)!.limit / MiB,
    );
    const sdkDefault = Math.max(Math.floor(((heapLimitMiB - 200) * 600) / 1024), 10);
    const perThousand = (pick: (r: Reading) => number): number =>
      ((median(last.readings.map(pick)) - median(points[0]!.readings.map(pick))) * 1000) /
      (last.disputes - WARMUP);
    const replayed = wakeResults.filter((w) => w.replayed);
    const cached = wakeResults.filter((w) => !w.replayed);
    const rows = [idle, ...points, afterWakes].map((p) => ({
      disputes: p.disputes,
      rssMB: tenth(median(p.readings.map((r) => r.rssMB))),
      heapUsedMB: tenth(median(p.readings.map((r) => r.heapUsedMB))),
      heapCommittedMB: tenth(median(p.readings.map((r) => r.heapCommittedMB))),
      cachedWorkflows: p.cachedWorkflows,
    }));
    const details = {
      disputesInMonitoring: parkedInAll,
      broughtThroughTheApi: disputes,
      copiesOfAMonitoringRun: parkedInAll - disputes,
      rowEvery: step,
      warmupDisputes: WARMUP,
      driveSeconds: Math.round(driveMs / 1000),
      readingsPerPoint: READINGS,
      customerResponseConflicts: { count: conflicts.length, first: conflicts.slice(0, 5) },
      rows,
      stickyCache:
        cacheSetting === undefined
          ? `WORKER_MAX_CACHED_WORKFLOWS default ${cacheBound}`
          : `WORKER_MAX_CACHED_WORKFLOWS=${cacheBound}`,
      sdkDefaultMaxCachedWorkflows: `max(floor((heap limit ${heapLimitMiB} MiB - 200) * 600 / 1024), 10) = ${sdkDefault}`,
      worker:
        'workers/main.ts in its own process (reuseV8Context, one workflow thread), LOG_LEVEL=warn',
      flags:
        '--expose-gc, a memory and metrics probe preloaded with --import; the proactive-scan schedule paused',
      policy: { autoApproveLimit: policy.autoApproveLimit },
      wakes: {
        signalled: wakeResults.length,
        earliestParked: wakes,
        latestParked: cachedWakes,
        replayed: replayed.length,
        cached: cached.length,
        loadAverage1m: tenth(loadAtWakes),
        sdkLatenciesOverEvictedWakes: evictedLatencies,
        historyEvents: {
          min: Math.min(...wakeResults.map((w) => w.historyEvents)),
          max: Math.max(...wakeResults.map((w) => w.historyEvents)),
        },
        measure:
          'signal call (client clock) → eventTime of the WorkflowTaskCompleted whose task started after the signal (server clock, same host); replayed = sticky_cache_miss rose during the wake',
      },
    };
    const measurements: Measurement[] = [
      ...points.map((p, i): Measurement => ({
        name: `worker RSS, ${count(p.disputes)} disputes in monitoring`,
        unit: 'MB',
        samples: p.readings.map((r) => r.rssMB),
        ...(i === points.length - 1 ? { target: { stat: 'max', max: GiB_MB } } : {}),
        ...(i === 0 ? { details } : {}),
      })),
      {
        name: `worker heap used (all threads), ${count(last.disputes)} disputes in monitoring`,
        unit: 'MB',
        samples: last.readings.map((r) => r.heapUsedMB),
      },
      {
        name: `RSS growth per 1,000 disputes (${count(WARMUP)} → ${count(last.disputes)})`,
        unit: 'MB',
        samples: [tenth(perThousand((r) => r.rssMB))],
      },
      {
        name: `heap growth per 1,000 disputes (${count(WARMUP)} → ${count(last.disputes)})`,
        unit: 'MB',
        samples: [tenth(perThousand((r) => r.heapUsedMB))],
      },
    ];
    if (replayed.length > 0)
      measurements.push(
        {
          name: `wake an evicted dispute: newInvoice → handled (replay), ${replayed.length} of ${wakeResults.length}`,
          unit: 'ms',
          samples: replayed.map((w) => w.handledMs),
          target: { stat: 'p99', max: WAKE_TARGET_MS },
        },
        {
          name: 'of which signal → task started (server queue, poll)',
          unit: 'ms',
          samples: replayed.map((w) => w.queuedMs),
        },
        {
          name: 'of which task started → completed (history fetch, replay)',
          unit: 'ms',
          samples: replayed.map((w) => w.workerMs),
        },
        {
          name: 'evicted: newInvoice → invoice checked (recurrence check done)',
          unit: 'ms',
          samples: replayed.map((w) => w.checkedMs),
        },
      );
    if (cached.length > 0)
      measurements.push(
        {
          name: `wake a cached dispute: newInvoice → handled, ${cached.length} of ${wakeResults.length}`,
          unit: 'ms',
          samples: cached.map((w) => w.handledMs),
        },
        {
          name: 'of which task started → completed (cached)',
          unit: 'ms',
          samples: cached.map((w) => w.workerMs),
        },
      );
    return measurements;

    async function wake(
      handle: ReturnType<typeof env.client.workflow.getHandle>,
      disputeId: string,
      invoiceId: string,
    ): Promise<Wake> {
      const before = await worker.cache();
      const signalledAt = Date.now();
      await handle.signal(newInvoiceSignal, { invoiceId });
      const deadline = Date.now() + 60_000;
      for (;;) {
        // Every run in order: a signal may land in a run that then continues as new.
        const runs = await historiesOfEveryRun(handle);
        const events = runs.flatMap((run) => run.events ?? []);
        const signal = events.findLastIndex(
          (e) =>
            e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED &&
            e.workflowExecutionSignaledEventAttributes?.signalName === newInvoiceSignal.name,
        );
        const started = events.findIndex(
          (e, i) => i > signal && e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
        );
        const completedAfter = (from: number): number =>
          events.findIndex(
            (e, i) => i > from && e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
          );
        const checked = events.findIndex(
          (e, i) => i > signal && e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
        );
        const handled = signal >= 0 && started >= 0 ? completedAfter(started) : -1;
        const settled = checked >= 0 ? completedAfter(checked) : -1;
        if (handled >= 0 && settled >= 0) {
          const after = await worker.cache();
          return {
            disputeId,
            handledMs: tsToMs(events[handled]!.eventTime) - signalledAt,
            queuedMs: tsToMs(events[started]!.eventTime) - signalledAt,
            workerMs: tsToMs(events[handled]!.eventTime) - tsToMs(events[started]!.eventTime),
            checkedMs: tsToMs(events[settled]!.eventTime) - signalledAt,
            replayed: after.misses > before.misses,
            historyEvents: runs.at(-1)?.events?.length ?? 0,
          };
        }
        if (Date.now() > deadline)
          throw new Error(`dispute ${disputeId}: newInvoice not handled within 60 s`);
        await delay(20);
      }
    }
  },
  report(results: readonly MeasurementResult[]): string {
    const details = results.find((r) => r.details.rows)?.details;
    if (!details) return '';
    const rows = details.rows as {
      disputes: number;
      rssMB: number;
      heapUsedMB: number;
      heapCommittedMB?: number;
      cachedWorkflows: number;
    }[];
    const header = [
      'disputes in monitoring',
      'RSS MB',
      'heap used MB',
      'heap physical MB',
      'cached workflows',
      'RSS Δ',
    ];
    const lines = rows.map((row, i) => {
      const previous = rows[i - 1];
      const delta =
        previous && i < rows.length - 1 && row.disputes > previous.disputes
          ? `${formatNumber(row.rssMB - previous.rssMB)} MB`
          : '';
      const label =
        i === rows.length - 1 ? `${count(row.disputes)} after the wakes` : count(row.disputes);
      return [
        label,
        formatNumber(row.rssMB),
        formatNumber(row.heapUsedMB),
        row.heapCommittedMB === undefined ? '—' : formatNumber(row.heapCommittedMB),
        count(row.cachedWorkflows),
        delta,
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    const format = (cells: string[]): string =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    return [
      `monitoring-memory: worker memory as disputes wait (${String(details.stickyCache)})`,
      format(header),
      ...lines.map(format),
    ].join('\n');
  },
};

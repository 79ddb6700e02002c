// Memory of the worker process with 1,000 disputes waiting in monitoring (100 with --quick). The
// worker runs as its own process (workers/main.ts, default options and sticky cache) against this
// benchmark's Temporal dev server and SQLite file; the API runs in-process with a policy that
// auto-approves the 160.50 overcharge, and the customer accepts each offer through the API, so
// every dispute goes acknowledging → … → awaiting_customer → correcting → monitoring for real.
// RSS comes from /proc/<pid>/status; heap used is summed over the worker's threads (workflows run
// in a worker thread) after a full GC, through a small probe module preloaded with --import.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../api/app';
import { DEV_API_KEYS, loadConfig } from '../config';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import { startMailCatcher } from '../scripts/mail-catcher';
import { createTestDatabase } from '../test/support/database';
import { SECRETS } from '../test/support/stack';
import { startDevServerEnv, uniqueId } from '../test/support/temporal';
import { SCAN_SCHEDULE_ID } from '../workers/scan-schedule';
import type { BenchContext, Benchmark, Measurement } from './benchmark';
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

const root = fileURLToPath(new URL('..', import.meta.url));
/** Disputes brought to monitoring before the baseline, so bundle, caches and pools are warm. */
const WARMUP = 10;
const CONCURRENCY = 16;
const READINGS = 5;
const MB = 2 ** 20;
const policy: Policy = { ...DEFAULT_POLICY, autoApproveLimit: '1000.00' };

// Preloaded into every thread of the worker. On an IPC 'memory' request the main thread collects
// V8 heap statistics, after a full GC, from itself and every other thread over a BroadcastChannel.
const PROBE = `
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';
import v8 from 'node:v8';
const channel = new BroadcastChannel('settle-bench-memory');
channel.unref();
const heap = () => {
  globalThis.gc?.();
  const s = v8.getHeapStatistics();
  return { threadId, used: s.used_heap_size, limit: s.heap_size_limit };
};
if (isMainThread) {
  let replies = [];
  channel.onmessage = ({ data }) => { if (data.reply) replies.push(data.reply); };
  process.on('message', (request) => {
    if (request !== 'memory') return;
    replies = [heap()];
    channel.postMessage({ request: true });
    setTimeout(() => process.send({ threads: replies }), 1000);
  });
  process.channel?.unref();
} else {
  channel.onmessage = ({ data }) => { if (data.request) channel.postMessage({ reply: heap() }); };
}`;

interface ThreadHeap {
  threadId: number;
  used: number;
  limit: number;
}

interface Reading {
  rssMB: number;
  heapUsedMB: number;
  threads: ThreadHeap[];
}

function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kB) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kB) / 1024;
}

async function read(worker: ChildProcess): Promise<Reading> {
  const reply = new Promise<{ threads: ThreadHeap[] }>((resolve) =>
    worker.once('message', (m) => resolve(m as { threads: ThreadHeap[] })),
  );
  worker.send('memory');
  const { threads } = await reply;
  return {
    // After the GC the probe forced, so both figures describe live state.
    rssMB: rssMB(worker.pid!),
    heapUsedMB: threads.reduce((sum, t) => sum + t.used, 0) / MB,
    threads,
  };
}

async function readings(ctx: BenchContext, worker: ChildProcess, what: string): Promise<Reading[]> {
  const out: Reading[] = [];
  for (let i = 0; i < READINGS; i += 1) {
    ctx.progress(`reading worker memory (${what})`, i, READINGS);
    out.push(await read(worker));
    await delay(1000);
  }
  return out;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const tenth = (value: number): number => Math.round(value * 10) / 10;

/** Medians of a point's readings, and each thread's heap in its last reading. */
function summary(points: Reading[]): Record<string, unknown> {
  return {
    rssMB: tenth(median(points.map((r) => r.rssMB))),
    heapUsedMB: tenth(median(points.map((r) => r.heapUsedMB))),
    threads: points
      .at(-1)!
      .threads.map((t) => ({ threadId: t.threadId, usedMB: tenth(t.used / MB) })),
  };
}

/** The worker process of `npm start`, on this benchmark's servers, with the memory probe. */
function startWorker(
  env: TestWorkflowEnvironment,
  databaseUrl: string,
  smtpUrl: string,
  taskQueue: string,
): { worker: ChildProcess; output: string[]; exited: Promise<number | null> } {
  const worker = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      '--import',
      `data:text/javascript,${encodeURIComponent(PROBE)}`,
      'workers/main.ts',
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_NAMESPACE: env.namespace ?? 'default',
        TEMPORAL_TASK_QUEUE: taskQueue,
        SMTP_URL: smtpUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  const output: string[] = [];
  for (const stream of [worker.stdout, worker.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 50) output.shift();
    });
  }
  const exited = new Promise<number | null>((resolve) => worker.once('exit', resolve));
  return { worker, output, exited };
}

export const benchmark: Benchmark = {
  description:
    'worker process memory (RSS, heap used) with 1,000 disputes waiting in monitoring, default sticky cache',
  async run(ctx) {
    const count = ctx.quick ? 100 : 1000;
    ctx.progress('starting the Temporal dev server');
    const env = await startDevServerEnv();
    ctx.defer(() => env.teardown());
    const [database, catcher] = await Promise.all([
      createTestDatabase('sqlite'),
      startMailCatcher({ smtpPort: 0, httpPort: 0 }),
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
    const { worker, output, exited } = startWorker(env, database.url, catcher.smtpUrl, taskQueue);
    ctx.defer(async () => {
      if (worker.exitCode === null && worker.signalCode === null) {
        worker.kill('SIGINT');
        const timer = setTimeout(() => worker.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
    });
    const failed = exited.then((code) => {
      throw new Error(`worker exited (code ${code}):\n${output.join('').slice(-3000)}`);
    });
    // Keeps an early exit from being an unhandled rejection; each wait below races with it.
    failed.catch(() => undefined);
    const orFail = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, failed]);

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

    const { bundle, invoices } = disputableInvoices('M', count);
    ctx.progress(`importing ${invoices.length} invoices to dispute`);
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
    let inMonitoring = 0;
    const toMonitoring = async (batch: typeof invoices, total: number): Promise<void> => {
      await inParallel(batch, CONCURRENCY, async (invoice) => {
        const id = await openThroughApi(call, invoice, 'operations');
        await offered.until(id);
        const accepted = await call('POST', `/v1/disputes/${id}/customer-response`, {
          role: 'agent',
          body: { accepted: true, comment: 'Thanks, the credit note works for us' },
        });
        expectStatus(`customer-response ${id}`, accepted, 200);
        await monitoring.until(id);
        inMonitoring += 1;
        ctx.progress('disputes in monitoring', inMonitoring, total);
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
        await delay(2000);
      }
    };

    await orFail(delay(2000));
    const idle = await orFail(readings(ctx, worker, 'idle'));
    await orFail(toMonitoring(invoices.slice(0, WARMUP), count));
    await orFail(quiet());
    const baseline = await orFail(readings(ctx, worker, `${WARMUP} in monitoring`));
    const started = performance.now();
    await orFail(toMonitoring(invoices.slice(WARMUP), count));
    const driveMs = performance.now() - started;
    ctx.progress('waiting for the workflows to go quiet');
    await orFail(quiet());
    const loaded = await orFail(readings(ctx, worker, `${count} in monitoring`));

    const phases = await db.dispute.groupBy({ by: ['phase'], _count: true });
    const waiting = phases.find((p) => p.phase === 'monitoring')?._count ?? 0;
    if (waiting !== count)
      throw new Error(`expected ${count} in monitoring: ${JSON.stringify(phases)}`);

    const heapLimitMiB = Math.round(baseline[0]!.threads.find((t) => t.threadId === 0)!.limit / MB);
    const perDispute = (pick: (r: Reading) => number): number =>
      ((median(loaded.map(pick)) - median(baseline.map(pick))) * 1024) / (count - WARMUP);
    const details = {
      disputesInMonitoring: count,
      warmupDisputes: WARMUP,
      driveSeconds: Math.round(driveMs / 1000),
      readingsPerPoint: READINGS,
      medians: { idle: summary(idle), baseline: summary(baseline), loaded: summary(loaded) },
      worker:
        'workers/main.ts in its own process, default Worker options (reuseV8Context, one workflow thread)',
      stickyCache: `SDK default maxCachedWorkflows = max(floor((heap limit ${heapLimitMiB} MiB - 200) * 600 / 1024), 10) = ${Math.max(Math.floor(((heapLimitMiB - 200) * 600) / 1024), 10)}`,
      flags:
        '--expose-gc and a memory probe preloaded with --import; the proactive-scan schedule paused',
      policy: { autoApproveLimit: policy.autoApproveLimit },
    };
    return [
      { name: 'worker RSS, idle', unit: 'MB', samples: idle.map((r) => r.rssMB), details },
      {
        name: `worker RSS, ${count.toLocaleString('en-US')} disputes in monitoring`,
        unit: 'MB',
        samples: loaded.map((r) => r.rssMB),
      },
      {
        name: 'worker heap used (all threads), idle',
        unit: 'MB',
        samples: idle.map((r) => r.heapUsedMB),
      },
      {
        name: `worker heap used, ${count.toLocaleString('en-US')} disputes in monitoring`,
        unit: 'MB',
        samples: loaded.map((r) => r.heapUsedMB),
      },
      { name: 'RSS per dispute in monitoring', unit: 'KB', samples: [perDispute((r) => r.rssMB)] },
      {
        name: 'heap used per dispute in monitoring',
        unit: 'KB',
        samples: [perDispute((r) => r.heapUsedMB)],
      },
    ] satisfies Measurement[];
  },
};

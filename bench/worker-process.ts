// The dispute worker as its own process (workers/main.ts, as `npm start` runs it) for the memory
// benchmark, with a probe preloaded into each of its threads: on request it reports V8 heap used
// after a full GC, and it serves the SDK's worker metrics (sticky cache size, hits and misses) in
// Prometheus format, so the benchmark can read the cache's size and tell a replay from a cache hit.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchContext } from './benchmark';

const root = fileURLToPath(new URL('..', import.meta.url));
export const MiB = 2 ** 20;

// A data: module resolves no bare specifiers: the SDK is imported by its file URL.
const sdkUrl = pathToFileURL(createRequire(import.meta.url).resolve('@temporalio/worker')).href;

// On an IPC memory request the main thread collects V8 heap statistics, after a full GC, from
// itself and every other thread over a BroadcastChannel. Installing the runtime before
// workers/main.ts connects gives the worker a Prometheus endpoint on BENCH_WORKER_METRICS.
const PROBE = `
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';
import v8 from 'node:v8';
const channel = new BroadcastChannel('settle-bench-memory');
channel.unref();
const heap = () => {
  globalThis.gc?.();
  const s = v8.getHeapStatistics();
  return { threadId, used: s.used_heap_size, committed: s.total_physical_size, limit: s.heap_size_limit };
};
if (isMainThread) {
  const { Runtime } = await import(${JSON.stringify(sdkUrl)});
  Runtime.install({
    telemetryOptions: { metrics: { prometheus: { bindAddress: process.env.BENCH_WORKER_METRICS } } },
  });
  let replies = [];
  channel.onmessage = ({ data }) => { if (data.reply) replies.push(data.reply); };
  process.on('message', (request) => {
    if (request?.memory !== true) return;
    replies = [heap()];
    channel.postMessage({ request: true });
    // Until every thread seen before has answered (a busy one may take seconds), at most 10 s;
    // the first request (threads: 0) waits 3 s to learn how many there are.
    const started = Date.now();
    const answer = () => {
      const waited = Date.now() - started;
      if (request.threads === 0 ? waited > 3000 : replies.length >= request.threads || waited > 10000)
        process.send({ threads: replies });
      else setTimeout(answer, 100);
    };
    setTimeout(answer, 100);
  });
  process.channel?.unref();
} else {
  channel.onmessage = ({ data }) => { if (data.request) channel.postMessage({ reply: heap() }); };
}`;

export interface ThreadHeap {
  threadId: number;
  used: number;
  /** Physical memory of the thread's V8 heap: what it holds of RSS, used or not. */
  committed: number;
  limit: number;
}

export interface Reading {
  rssMB: number;
  heapUsedMB: number;
  /** V8 heaps' physical size, all threads: RSS minus this is native memory (SDK core, malloc). */
  heapCommittedMB: number;
  threads: ThreadHeap[];
}

/** The SDK's sticky cache metrics of the worker (0 for a counter not yet reported). */
export interface CacheMetrics {
  size: number;
  hits: number;
  misses: number;
}

/** A latency histogram's total and count, per metric and label set (Prometheus `_sum`/`_count`). */
export type Latencies = Map<string, { sum: number; count: number }>;

export interface WorkerProcess {
  process: ChildProcess;
  /** Rejects when the worker exits; every wait of the benchmark races with it. */
  orFail: <T>(promise: Promise<T>) => Promise<T>;
  read(): Promise<Reading>;
  readings(ctx: BenchContext, what: string, count: number): Promise<Reading[]>;
  cache(): Promise<CacheMetrics>;
  /** The SDK core's workflow task and request latency histograms, as reported so far. */
  latencies(): Promise<Latencies>;
  stop(): Promise<void>;
}

function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kB) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kB) / 1024;
}

/** Sum of a metric's series in a Prometheus text exposition (with or without `_total`). */
function metric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (match && (match[1] === name || match[1] === `${name}_total`)) sum += Number(match[2]);
  }
  return sum;
}

/** The `_sum`/`_count` series of the histograms whose names contain one of `parts`. */
function histograms(text: string, parts: readonly string[]): Latencies {
  const out: Latencies = new Map();
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)_(sum|count)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!match || !parts.some((part) => match[1]!.includes(part))) continue;
    const labels = (match[3] ?? '').replace(/,?(namespace|task_queue|service_name)="[^"]*"/g, '');
    const key = `${match[1]}${labels === '{}' ? '' : labels.replace('{,', '{')}`;
    const entry = out.get(key) ?? { sum: 0, count: 0 };
    entry[match[2] as 'sum' | 'count'] += Number(match[4]);
    out.set(key, entry);
  }
  return out;
}

export function startWorkerProcess(options: {
  env: TestWorkflowEnvironment;
  databaseUrl: string;
  smtpUrl: string;
  taskQueue: string;
  metricsPort: number;
  /** Extra environment of the worker, e.g. WORKER_MAX_CACHED_WORKFLOWS. */
  extraEnv: Record<string, string>;
}): WorkerProcess {
  const metricsAddress = `127.0.0.1:${options.metricsPort}`;
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      // A V8 CPU profile of each thread when the process exits, as scripts/cluster/settle.ts writes.
      ...(process.env.SETTLE_CPU_PROFILE_DIR
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${path.resolve(process.env.SETTLE_CPU_PROFILE_DIR, 'worker')}`,
          ]
        : []),
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
        DATABASE_URL: options.databaseUrl,
        TEMPORAL_ADDRESS: options.env.address,
        TEMPORAL_NAMESPACE: options.env.namespace ?? 'default',
        TEMPORAL_TASK_QUEUE: options.taskQueue,
        SMTP_URL: options.smtpUrl,
        BENCH_WORKER_METRICS: metricsAddress,
        ...options.extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 50) output.shift();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const failed = exited.then((code) => {
    throw new Error(`worker exited (code ${code}):\n${output.join('').slice(-3000)}`);
  });
  // Keeps an early exit from being an unhandled rejection; each wait races with it.
  failed.catch(() => undefined);
  const orFail = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, failed]);

  /** Threads that answered before: a reading waits for as many, so none is left out of the sum. */
  let knownThreads = 0;
  const read = async (): Promise<Reading> => {
    const reply = new Promise<{ threads: ThreadHeap[] }>((resolve) =>
      child.once('message', (m) => resolve(m as { threads: ThreadHeap[] })),
    );
    child.send({ memory: true, threads: knownThreads });
    const { threads } = await orFail(reply);
    if (threads.length < knownThreads)
      throw new Error(`only ${threads.length} of the worker's ${knownThreads} threads answered`);
    knownThreads = threads.length;
    return {
      // After the GC the probe forced, so both figures describe live state.
      rssMB: rssMB(child.pid!),
      heapUsedMB: threads.reduce((sum, t) => sum + t.used, 0) / MiB,
      heapCommittedMB: threads.reduce((sum, t) => sum + t.committed, 0) / MiB,
      threads,
    };
  };

  return {
    process: child,
    orFail,
    read,
    async readings(ctx, what, count) {
      const out: Reading[] = [];
      for (let i = 0; i < count; i += 1) {
        ctx.progress(`reading worker memory (${what})`, i, count);
        out.push(await read());
        await orFail(delay(1000));
      }
      return out;
    },
    async cache() {
      const response = await orFail(fetch(`http://${metricsAddress}/metrics`));
      const text = await response.text();
      return {
        size: metric(text, 'temporal_sticky_cache_size'),
        hits: metric(text, 'temporal_sticky_cache_hit'),
        misses: metric(text, 'temporal_sticky_cache_miss'),
      };
    },
    async latencies() {
      const response = await orFail(fetch(`http://${metricsAddress}/metrics`));
      return histograms(await response.text(), ['workflow_task', 'request_latency']);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

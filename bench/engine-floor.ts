// The engine's floor on this machine: workflows per second that the Temporal dev server in memory
// and one worker process start and finish when the workflows do none of Settle's work — an empty
// workflow, and one shaped like a dispute's intake up to its acknowledgement (three no-op local
// activities, then a no-op activity). Open loop at rising fixed rates as the intake benchmark
// runs them, each workflow timed from when it was due to its result, with the CPU time the server,
// the worker and this load generator spent per workflow. Settle's intake cannot pass this line;
// the gap between the two tables is Settle's own cost per dispute.
// Environment: BENCH_FLOOR_RATES (per second, e.g. 50,100), BENCH_FLOOR_SECONDS (per rate).
import { Client, Connection } from '@temporalio/client';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { spawnTs } from '../test/support/child-process';
import { startDevServer } from '../test/support/temporal-servers';
import type { BenchContext, Benchmark, Measurement } from './benchmark';
import {
  formatNumber,
  positiveNumbers,
  statsOf,
  textTable,
  type MeasurementResult,
} from './report';

const root = fileURLToPath(new URL('..', import.meta.url));
const P99_LIMIT_MS = 1000;
const RESULT_TIMEOUT_MS = 120_000;
const SHAPES = ['emptyWorkflow', 'intakeShapedWorkflow'] as const;
type Shape = (typeof SHAPES)[number];
const LABELS: Record<Shape, string> = {
  emptyWorkflow: 'empty workflow',
  intakeShapedWorkflow: '3 local activities + 1 activity',
};

/** CPU seconds (user + system, every thread) a process has used so far. */
function cpuSeconds(pid: number): number {
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100;
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

interface Step {
  rate: number;
  sent: number;
  completed: number;
  errors: number;
  latencies: number[];
  achievedPerSecond: number;
  /** CPU milliseconds per completed workflow. */
  cpuMs: { server: number; worker: number; generator: number };
}

async function openLoop(
  ctx: BenchContext,
  client: Client,
  taskQueue: string,
  shape: Shape,
  rate: number,
  seconds: number,
  pids: { server: number; worker: number },
): Promise<Step> {
  const total = Math.round(rate * seconds);
  const intervalMs = 1000 / rate;
  const before = {
    server: cpuSeconds(pids.server),
    worker: cpuSeconds(pids.worker),
    generator: ownCpuSeconds(),
  };
  const start = Date.now() + 100;
  const latencies: number[] = [];
  const done: number[] = [];
  let errors = 0;
  const flights: Promise<void>[] = [];
  const fly = async (i: number, due: number): Promise<void> => {
    try {
      await client.workflow.execute(shape, {
        taskQueue,
        workflowId: `${shape}-${rate}-${i}-${start}`,
        workflowExecutionTimeout: RESULT_TIMEOUT_MS,
      });
      const now = Date.now();
      done.push(now);
      latencies.push(now - due);
    } catch {
      errors += 1;
    }
  };
  for (let i = 0; i < total; i += 1) {
    const due = start + i * intervalMs;
    const wait = due - Date.now();
    if (wait > 0) await delay(wait);
    flights.push(fly(i, due));
    if (i % Math.max(1, Math.round(rate)) === 0)
      ctx.progress(`${LABELS[shape]}: ${rate}/s open loop`, i, total);
  }
  await Promise.all(flights);
  const completed = latencies.length;
  const per = (seconds: number): number => (completed ? (seconds * 1000) / completed : NaN);
  done.sort((a, b) => a - b);
  const span = (done.at(-1)! - done[0]!) / 1000;
  return {
    rate,
    sent: total,
    completed,
    errors,
    latencies,
    achievedPerSecond: completed > 1 && span > 0 ? (completed - 1) / span : 0,
    cpuMs: {
      server: per(cpuSeconds(pids.server) - before.server),
      worker: per(cpuSeconds(pids.worker) - before.worker),
      generator: per(ownCpuSeconds() - before.generator),
    },
  };
}

export const benchmark: Benchmark = {
  description:
    "the engine's floor: empty and intake-shaped workflows through the dev server in memory and a worker process, open loop at fixed rates, with CPU per workflow",
  async run(ctx) {
    const rates =
      positiveNumbers(process.env.BENCH_FLOOR_RATES) ??
      (ctx.quick ? [25, 50] : [25, 50, 100, 150, 200]);
    const seconds = positiveNumbers(process.env.BENCH_FLOOR_SECONDS)?.[0] ?? (ctx.quick ? 5 : 20);
    const logDir = path.join(
      root,
      'var/bench-logs',
      `engine-floor-${new Date().toISOString().replace(/[:.]/g, '-')}`,
    );
    mkdirSync(logDir, { recursive: true });

    ctx.progress('starting the dev server (in memory)');
    const temporal = await startDevServer({ logDir });
    ctx.defer(() => temporal.stop());
    const taskQueue = `engine-floor-${Date.now()}`;
    ctx.progress('starting the worker process');
    const worker = spawnTs('bench/engine-floor-worker.ts', {
      TEMPORAL_ADDRESS: temporal.address,
      BENCH_TASK_QUEUE: taskQueue,
    });
    ctx.defer(async () => {
      worker.child.kill('SIGTERM');
      await worker.exited;
    });
    await worker.waitForLine('ready');
    const connection = await Connection.connect({ address: temporal.address });
    ctx.defer(() => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace });
    const pids = { server: temporal.service.pid!, worker: worker.child.pid! };

    const measurements: Measurement[] = [];
    for (const shape of SHAPES) {
      ctx.progress(`${LABELS[shape]}: warm-up`);
      await openLoop(ctx, client, taskQueue, shape, 10, 2, pids);
      let best = 0;
      for (const rate of rates) {
        const step = await openLoop(ctx, client, taskQueue, shape, rate, seconds, pids);
        const holds =
          step.errors === 0 &&
          step.completed === step.sent &&
          statsOf(step.latencies).p99 < P99_LIMIT_MS;
        if (holds) best = rate;
        measurements.push({
          name: `${LABELS[shape]}: open loop ${rate}/s`,
          unit: 'ms',
          samples: step.latencies,
          throughput: { perSecond: step.achievedPerSecond, unit: 'workflows/s' },
          details: {
            shape,
            mode: 'open',
            seconds,
            holdsP99UnderOneSecond: holds,
            ...step,
            latencies: undefined,
          },
        });
        if (!holds) break;
      }
      measurements.push({
        name: `${LABELS[shape]}: highest rate with p99 < 1 s`,
        unit: 'workflows/s',
        samples: [best],
        details: { shape, mode: 'summary', rates },
      });
    }
    return measurements;
  },
  report(results: readonly MeasurementResult[]): string {
    const header = [
      'workflow',
      'offered',
      'achieved',
      'p50',
      'p99',
      'CPU ms per workflow: server / worker / generator',
    ];
    const rows = results
      .filter((r) => r.details.mode === 'open')
      .map((r) => {
        const cpu = r.details.cpuMs as Step['cpuMs'];
        return [
          LABELS[r.details.shape as Shape],
          `${formatNumber(Number(r.details.rate))}/s`,
          `${formatNumber(r.throughput?.perSecond ?? 0)}/s${r.details.completed === r.details.sent ? '' : ` (${Number(r.details.sent) - Number(r.details.completed)} unfinished)`}`,
          `${formatNumber(r.stats.p50)} ms`,
          `${formatNumber(r.stats.p99)} ms`,
          [cpu.server, cpu.worker, cpu.generator].map(formatNumber).join(' / '),
        ];
      });
    return textTable(
      "Engine floor: workflows doing none of Settle's work, dev server in memory, one worker process",
      header,
      rows,
    );
  },
};

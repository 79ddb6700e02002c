// `npm start` from launch to /readyz OK and to the worker polling its task queue (/readyz checks
// the database and Temporal, not the worker), then from Ctrl-C (SIGINT to the process group) to a
// clean exit with no process left. Each sample runs scripts/start.ts on its own free ports with a
// fresh SQLite database and Temporal state file, so it never touches var/ and can run beside a
// developer's own stack.
import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './benchmark';

const root = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 180_000;
/** scripts/start.ts SIGKILLs a child 15 s after SIGTERM: a stop that long was not clean. */
const KILL_GRACE_MS = 15_000;
const EXIT_TIMEOUT_MS = 60_000;
const POLL_MS = 50;
// temporal.api.enums.v1 TASK_QUEUE_KIND_NORMAL and TASK_QUEUE_TYPE_WORKFLOW.
const KIND_NORMAL = 1;
const TYPE_WORKFLOW = 1;

interface Run {
  readyMs: number;
  workerMs: number;
  shutdownMs: number;
  /** Milliseconds from launch to each `▸ step` line scripts/start.ts prints. */
  steps: { atMs: number; step: string }[];
}

/** Distinct free loopback ports, held open together so none is handed out twice. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Pids of live processes in process group `pgid`, or whose command line mentions `marker`. */
function leftovers(pgid: number, marker: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised name: state ppid pgrp …
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (Number(pgrp) === pgid || command.includes(marker))
        found.push({ pid: Number(entry), command });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** True once a worker polls the workflow task queue `disputes` (what scripts/start.ts runs). */
async function workerPolling(connection: Connection): Promise<boolean> {
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: 'disputes', kind: KIND_NORMAL },
    taskQueueType: TYPE_WORKFLOW,
  });
  return (pollers ?? []).length > 0;
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

async function oneRun(
  sample: number,
  progress: (step: string) => void,
  defer: (cleanup: () => unknown) => void,
): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'settle-bench-startup-'));
  const [api = 0, temporal = 0, ui = 0, smtp = 0, http = 0] = await freePorts(5);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(api),
    DATABASE_URL: `file:${path.join(dir, 'settle.db')}`,
    TEMPORAL_PORT: String(temporal),
    TEMPORAL_DB_FILE: path.join(dir, 'temporal.db'),
    TEMPORAL_UI_PORT: String(ui),
    MAIL_CATCHER_SMTP_PORT: String(smtp),
    MAIL_CATCHER_HTTP_PORT: String(http),
    LOG_LEVEL: 'warn',
  };
  // Set, these would make start.ts use external servers instead of starting its own.
  delete env.TEMPORAL_ADDRESS;
  delete env.SMTP_URL;

  const t0 = performance.now();
  // Its own process group, so SIGINT reaches start.ts and its children as Ctrl-C in a terminal does.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pgid = child.pid!;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  defer(async () => {
    if (child.exitCode === null && child.signalCode === null) killGroup(pgid, 'SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });

  const steps: Run['steps'] = [];
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        if (line.startsWith('▸ '))
          steps.push({ atMs: Math.round(performance.now() - t0), step: line.slice(2) });
      }
    });
  }
  const fail = (why: string): Error =>
    new Error(
      `sample ${sample + 1}: ${why}\n--- start.ts output (last 30 lines) ---\n${output.slice(-30).join('\n')}`,
    );

  progress(`sample ${sample + 1}: waiting for /readyz and the worker`);
  let readyMs: number | undefined;
  let workerMs: number | undefined;
  let connection: Connection | undefined;
  try {
    while (readyMs === undefined || workerMs === undefined) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw fail('start.ts exited before it was ready');
      if (performance.now() - t0 > READY_TIMEOUT_MS)
        throw fail(`not ready after ${READY_TIMEOUT_MS} ms`);
      if (readyMs === undefined) {
        const ok = await fetch(`http://127.0.0.1:${api}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) readyMs = performance.now() - t0;
      }
      if (workerMs === undefined) {
        connection ??= await Connection.connect({
          address: `127.0.0.1:${temporal}`,
          connectTimeout: 1_000,
        }).catch(() => undefined);
        if (connection && (await workerPolling(connection).catch(() => false)))
          workerMs = performance.now() - t0;
      }
      if (readyMs === undefined || workerMs === undefined) await delay(POLL_MS);
    }
  } finally {
    await connection?.close();
  }

  progress(`sample ${sample + 1}: SIGINT, waiting for a clean exit`);
  const t1 = performance.now();
  killGroup(pgid, 'SIGINT');
  const exit = await Promise.race([exited, delay(EXIT_TIMEOUT_MS).then(() => null)]);
  if (!exit) throw fail(`still running ${EXIT_TIMEOUT_MS} ms after SIGINT`);
  // The group is empty once the Temporal server, worker and API are gone too.
  let rest = leftovers(pgid, dir);
  while (rest.length > 0 && performance.now() - t1 < EXIT_TIMEOUT_MS) {
    await delay(POLL_MS);
    rest = leftovers(pgid, dir);
  }
  const shutdownMs = performance.now() - t1;
  if (rest.length > 0) {
    killGroup(pgid, 'SIGKILL');
    for (const p of rest) killGroup(p.pid, 'SIGKILL');
    throw fail(
      `left running after start.ts exited: ${rest.map((p) => `${p.pid} ${p.command}`).join('; ')}`,
    );
  }
  if (exit.code !== 0) throw fail(`exited with ${exit.signal ?? `code ${exit.code}`} after SIGINT`);
  if (shutdownMs >= KILL_GRACE_MS)
    throw fail(`took ${Math.round(shutdownMs)} ms: a child was killed after the grace period`);
  return { readyMs, workerMs, shutdownMs, steps };
}

export const benchmark: Benchmark = {
  description:
    '`npm start` (Temporal dev server, mail catcher, migrations, worker, API) to /readyz OK, and Ctrl-C to a clean exit',
  async run(ctx) {
    const samples = ctx.quick ? 1 : 3;
    const runs: Run[] = [];
    for (let i = 0; i < samples; i += 1) {
      ctx.progress('npm start', i, samples);
      runs.push(
        await oneRun(
          i,
          (step) => ctx.progress(step),
          (cleanup) => ctx.defer(cleanup),
        ),
      );
    }
    const details = {
      command: 'node --import tsx scripts/start.ts',
      database: 'fresh SQLite file per sample',
      temporal: 'fresh dev-server state file per sample',
      runs: runs.map((r) => ({
        readyMs: Math.round(r.readyMs),
        workerMs: Math.round(r.workerMs),
        shutdownMs: Math.round(r.shutdownMs),
        steps: r.steps,
      })),
    };
    return [
      {
        name: 'start to /readyz OK',
        unit: 'ms',
        samples: runs.map((r) => r.readyMs),
        details,
      },
      {
        name: 'start to worker polling `disputes`',
        unit: 'ms',
        samples: runs.map((r) => r.workerMs),
      },
      {
        name: 'SIGINT to clean exit (no process left)',
        unit: 'ms',
        samples: runs.map((r) => r.shutdownMs),
      },
    ];
  },
};

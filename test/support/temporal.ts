// Temporal test environments, workflow bundles and workers shared by every workflow test.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { IllegalStateError } from '@temporalio/common';
import type { DevServerConfig } from '@temporalio/testing';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type LogLevel,
  type WorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';

/** Absolute path of the repository root, independent of the working directory. */
export const repoRoot: string = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of a file or folder given relative to the repository root. */
export function fromRepoRoot(...segments: string[]): string {
  return resolve(repoRoot, ...segments);
}

/** Launcher written by scripts/install-test-server.sh for the Java time-skipping test server. */
export const testServerLauncher: string = fromRepoRoot('.tools/test-server/temporal-test-server');

/** Temporal CLI built by scripts/setup.sh; serves `temporal server start-dev`. */
export const temporalCli: string = fromRepoRoot('.tools/bin/temporal');

function requireExecutable(path: string, installHint: string): string {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`${installHint}\` first`);
  }
  return path;
}

const logLevels: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
let runtimeConfigured = false;

/**
 * Installs the SDK Runtime with a WARN logger (TEMPORAL_TEST_LOG_LEVEL overrides): at INFO it logs
 * every worker state change. Called by the helpers here; a no-op once a Runtime exists.
 */
export function configureTestRuntime(): void {
  if (runtimeConfigured) return;
  const level = process.env.TEMPORAL_TEST_LOG_LEVEL ?? 'WARN';
  if (!logLevels.includes(level as LogLevel)) {
    throw new Error(`TEMPORAL_TEST_LOG_LEVEL must be one of ${logLevels.join(', ')}, got ${level}`);
  }
  runtimeConfigured = true;
  try {
    Runtime.install({ logger: new DefaultLogger(level as LogLevel) });
  } catch (error) {
    // Another module of this test process already created the Runtime; keep its logger.
    if (!(error instanceof IllegalStateError)) throw error;
  }
}

/** Attempts at starting the time-skipping server; the SDK gives each 5 s to open its port. */
const SERVER_START_ATTEMPTS = 4;

/**
 * Starts Temporal's Java time-skipping test server through the SDK (it picks a free port, runs
 * `temporal-test-server <port>`, and kills the process on `teardown()`). Time is locked while
 * nothing waits and skips ahead while a client awaits a workflow result or calls `env.sleep`.
 * Call `teardown()` in `afterAll`.
 */
export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  configureTestRuntime();
  const path = requireExecutable(testServerLauncher, 'bash scripts/install-test-server.sh');
  // A JVM starting on a busy machine can miss the SDK's 5 s; a second start finds its classes cached.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path } },
      });
    } catch (error) {
      const slowStart = error instanceof Error && /did not start within/.test(error.message);
      if (!slowStart || attempt >= SERVER_START_ATTEMPTS) throw error;
    }
  }
}

/** Settings of the dev server the tests may change; the executable, address and UI are fixed. */
export type DevServerOverrides = Pick<
  DevServerConfig,
  'namespace' | 'searchAttributes' | 'extraArgs'
>;

/**
 * Starts `temporal server start-dev` (in-memory SQLite, no UI, free port on 127.0.0.1) through
 * the SDK, which kills it on `teardown()`. Real time: use it for behaviour the time-skipping
 * server does not model, with short durations. Call `teardown()` in `afterAll`.
 */
export async function startDevServerEnv(
  overrides: DevServerOverrides = {},
): Promise<TestWorkflowEnvironment> {
  configureTestRuntime();
  const path = requireExecutable(temporalCli, 'bash scripts/setup.sh');
  return await TestWorkflowEnvironment.createLocal({
    server: {
      ...overrides,
      executable: { type: 'existing-path', path },
      ip: '127.0.0.1',
      ui: false,
      log: { format: 'pretty', level: 'error' },
    },
  });
}

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * Bundles the workflows exported by `workflowsPath` (absolute, or relative to the repo root) once
 * per test process — vitest runs each test file in its own process, so once per file.
 */
export async function bundleWorkflows(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  const absolute = fromRepoRoot(workflowsPath);
  let bundle = bundles.get(absolute);
  if (bundle === undefined) {
    bundle = bundleWorkflowCode({ workflowsPath: absolute, logger: new DefaultLogger('WARN') });
    bundles.set(absolute, bundle);
    // A failed bundle is not cached: a later call bundles again instead of repeating the error.
    void bundle.catch(() => bundles.delete(absolute));
  }
  return await bundle;
}

/** A unique id with a readable prefix, for workflow ids and task queues. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** A workflow id no other test (or earlier run on a shared server) uses. */
export function uniqueWorkflowId(prefix = 'wf'): string {
  return uniqueId(prefix);
}

export type TestWorkerOptions = Omit<
  WorkerOptions,
  'connection' | 'namespace' | 'taskQueue' | 'workflowBundle' | 'workflowsPath'
> & {
  workflowBundle: WorkflowBundleWithSourceMap;
  /** Prefix of the generated task queue name. */
  taskQueuePrefix?: string;
};

export interface TestWorker {
  worker: Worker;
  /** The worker's own task queue; start the test's workflows on it. */
  taskQueue: string;
}

/**
 * Creates a Worker on `env` polling a fresh task queue, so tests never steal each other's tasks.
 * Drive it with `worker.runUntil(...)`, which also shuts it down.
 */
export async function createTestWorker(
  env: TestWorkflowEnvironment,
  { taskQueuePrefix = 'test', ...options }: TestWorkerOptions,
): Promise<TestWorker> {
  const taskQueue = uniqueId(taskQueuePrefix);
  const worker = await Worker.create({
    ...options,
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
  });
  return { worker, taskQueue };
}

export interface WaitForOptions {
  /** What is awaited, for the timeout message. */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns something other than `undefined` or `false`, and resolves with
 * that; rejects once `timeoutMs` passes. For waiting on workflow state (a query, the history)
 * instead of sleeping for a guessed duration.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  { what, timeoutMs = 10_000, intervalMs = 50 }: WaitForOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}

// Settle's own processes as a deployment runs them: the API and dispute workers, each a separate
// Node process configured by environment variables only.
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { repoRoot } from './paths';
import type { ServiceSpec } from './process';

export interface SettleEnvOptions {
  databaseUrl: string;
  temporalAddress: string;
  namespace?: string;
  taskQueue?: string;
  smtpUrl: string;
  apiPort: number;
  apiKeys: string;
  logLevel?: string;
  /** Requests per key per minute; 0 turns the limit off (load tests). */
  rateLimitPerMinute?: number;
  /** More variables, e.g. SETTLE_POLICY_FILE. */
  extra?: Record<string, string>;
}

/** What config.ts reads, for the API and every worker alike. */
export function settleEnv(options: SettleEnvOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: options.namespace ?? 'default',
    TEMPORAL_TASK_QUEUE: options.taskQueue ?? 'disputes',
    SMTP_URL: options.smtpUrl,
    HOST: '127.0.0.1',
    PORT: String(options.apiPort),
    // Links in customer emails lead to this API unless the deployment says otherwise.
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://127.0.0.1:${options.apiPort}`,
    SETTLE_API_KEYS: options.apiKeys,
    LOG_LEVEL: options.logLevel ?? 'info',
    ...(options.rateLimitPerMinute === undefined
      ? {}
      : { RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute) }),
    ...options.extra,
  };
}

function nodeSpec(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
): ServiceSpec {
  // A V8 CPU profile of each thread, written when the process exits (open in Chrome DevTools).
  const profileDir = env.SETTLE_CPU_PROFILE_DIR;
  return {
    name,
    command: process.execPath,
    args: [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir, name)}`] : []),
      '--import',
      'tsx',
      entry,
    ],
    env,
    cwd: repoRoot,
    logFile,
  };
}

export function apiSpec(env: NodeJS.ProcessEnv, logFile: string): ServiceSpec {
  return nodeSpec('api', 'api/main.ts', env, logFile);
}

export function workerSpec(name: string, env: NodeJS.ProcessEnv, logFile: string): ServiceSpec {
  return nodeSpec(name, 'workers/main.ts', env, logFile);
}

/** Resolves once GET /readyz answers 200 (database and Temporal reachable). */
export async function waitForReady(apiUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${apiUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${apiUrl}/readyz not ready within ${timeoutMs} ms`);
    await delay(250);
  }
}

// temporal.api.enums.v1 TASK_QUEUE_KIND_NORMAL and TASK_QUEUE_TYPE_WORKFLOW / _ACTIVITY.
const KIND_NORMAL = 1;
const TASK_QUEUE_TYPES = [1, 2];

/** The default identity of a worker process with this pid, as the TypeScript SDK builds it. */
export function workerIdentity(pid: number): string {
  return `${pid}@${os.hostname()}`;
}

/**
 * Resolves once a worker process with each of `pids` polls both the workflow and the activity
 * task queue: started, bundled its workflows and connected.
 */
export async function waitForWorkers(
  options: { address: string; namespace?: string; taskQueue?: string },
  pids: readonly number[],
  timeoutMs: number,
): Promise<void> {
  const connection = await Connection.connect({ address: options.address });
  try {
    const deadline = Date.now() + timeoutMs;
    const wanted = pids.map(workerIdentity);
    for (;;) {
      const seen = await Promise.all(
        TASK_QUEUE_TYPES.map(async (taskQueueType) => {
          const { pollers } = await connection.workflowService.describeTaskQueue({
            namespace: options.namespace ?? 'default',
            taskQueue: { name: options.taskQueue ?? 'disputes', kind: KIND_NORMAL },
            taskQueueType,
          });
          return new Set((pollers ?? []).map((p) => p.identity ?? ''));
        }),
      );
      if (wanted.every((id) => seen.every((identities) => identities.has(id)))) return;
      if (Date.now() > deadline) {
        throw new Error(`workers ${wanted.join(', ')} not polling within ${timeoutMs} ms`);
      }
      await delay(250);
    }
  } finally {
    await connection.close();
  }
}

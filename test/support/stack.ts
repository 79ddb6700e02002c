// The real stack for integration tests: a Temporal server, a migrated database, a mail catcher,
// a dispute worker with the real activities, and the API app, all on loopback.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import { buildApp } from '../../api/app';
import { actorOf, DEV_API_KEYS, loadConfig, type Role } from '../../config';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import type { DatabaseKind } from '../../store/database-url';
import { startMailCatcher, type MailCatcher } from '../../scripts/mail-catcher';
import { createDisputeWorker } from '../../workers/create-worker';
import { createTestDatabase, type TestDatabase } from './database';
import { bundleWorkflows, uniqueId } from './temporal';

export const SECRETS: Record<Role, string> = {
  operations: 'ops-secret',
  agent: 'agent-secret',
  manager: 'mgr-secret',
  auditor: 'aud-secret',
};

/** The actor each development key is recorded as (`role:name`). */
export const ACTORS = Object.fromEntries(
  loadConfig({ SETTLE_API_KEYS: DEV_API_KEYS }).SETTLE_API_KEYS.map((key) => [
    key.role,
    actorOf(key),
  ]),
) as Record<Role, string>;

export interface Stack {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  catcher: MailCatcher;
  worker: Worker;
  app: FastifyInstance;
  taskQueue: string;
  /** Sends a request through the whole HTTP stack as the given role. */
  call(
    method: 'GET' | 'POST',
    url: string,
    options?: { role?: Role | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export async function startStack(
  env: TestWorkflowEnvironment,
  kind: DatabaseKind,
  policy: Policy = DEFAULT_POLICY,
): Promise<Stack> {
  const [database, catcher, workflowBundle] = await Promise.all([
    createTestDatabase(kind),
    startMailCatcher({ smtpPort: 0, httpPort: 0 }),
    bundleWorkflows('workflows/index.ts'),
  ]);
  const taskQueue = uniqueId('disputes');
  const mailer = nodemailer.createTransport(catcher.smtpUrl);
  const worker = await createDisputeWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle,
    deps: {
      db: database.db,
      mailer,
      clock: () => new Date(),
      mail: { from: 'Settle <disputes@settle.test>', domain: 'settle.test' },
    },
    shutdownSignals: [],
  });
  const running = worker.run();
  const config = loadConfig({
    SETTLE_API_KEYS: DEV_API_KEYS,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: process.env.SETTLE_TEST_LOG_LEVEL ?? 'silent',
  });
  const app = await buildApp({ config, db: database.db, temporal: env.client, policy });

  return {
    env,
    database,
    catcher,
    worker,
    app,
    taskQueue,
    async call(method, url, { role = 'manager', body, headers = {} } = {}) {
      const response = await app.inject({
        method,
        url,
        headers: { ...(role ? { authorization: `Bearer ${SECRETS[role]}` } : {}), ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return {
        status: response.statusCode,
        body: response.body ? JSON.parse(response.body) : undefined,
        headers: response.headers,
      };
    },
    async stop() {
      await app.close();
      worker.shutdown();
      await running;
      mailer.close();
      await catcher.stop();
      await database.drop();
    },
  };
}

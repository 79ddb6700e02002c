// The real stack for integration tests: a Temporal server, a migrated database, a mail catcher,
// a dispute worker with the real activities, and the API app, all on loopback.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { createServer } from 'node:net';
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
  /** Where the API listens (with StackOptions.listen), and what links in emails point to. */
  url: string;
  config: ReturnType<typeof loadConfig>;
  database: TestDatabase;
  catcher: MailCatcher;
  /** The worker running now (restartWorker replaces it). */
  worker: Worker;
  app: FastifyInstance;
  taskQueue: string;
  /** Sends a request through the whole HTTP stack as the given role. */
  call(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    options?: { role?: Role | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /**
   * Starts a fresh worker and shuts the running one down (its workflows stay on the server and
   * move to the new one, replayed from their histories). The old worker's shutdown, which waits
   * out its long polls, finishes in the background; stop() waits for it.
   */
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

/** A free TCP port on loopback, to know the API's URL (for links in emails) before it listens. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface StackOptions {
  /** Serve the API on a real loopback port (for browsers); `url` is where it listens. */
  listen?: boolean;
}

export async function startStack(
  env: TestWorkflowEnvironment,
  kind: DatabaseKind,
  policy: Policy = DEFAULT_POLICY,
  options: StackOptions = {},
): Promise<Stack> {
  const port = options.listen ? await freePort() : 0;
  const publicUrl = options.listen ? `http://127.0.0.1:${port}` : 'http://127.0.0.1:3000';
  const [database, catcher, workflowBundle] = await Promise.all([
    createTestDatabase(kind),
    startMailCatcher({ smtpPort: 0, httpPort: 0 }),
    bundleWorkflows('workflows/index.ts'),
  ]);
  const taskQueue = uniqueId('disputes');
  const config = loadConfig({
    SETTLE_API_KEYS: DEV_API_KEYS,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: process.env.SETTLE_TEST_LOG_LEVEL ?? 'silent',
    PUBLIC_URL: publicUrl,
    MAIL_DOMAIN: 'settle.test',
  });
  const mailer = nodemailer.createTransport(catcher.smtpUrl);
  /** Connections of restarted workers: one worker per task queue per connection. */
  const connections: NativeConnection[] = [];
  const launch = async (
    connection: NativeConnection,
  ): Promise<{ worker: Worker; running: Promise<void> }> => {
    const started = await createDisputeWorker({
      connection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle,
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      deps: {
        db: database.db,
        mailer,
        clock: () => new Date(),
        mail: { from: 'Settle <disputes@settle.test>', domain: 'settle.test' },
        links: { keys: config.CUSTOMER_LINK_KEYS, publicUrl },
      },
      shutdownSignals: [],
    });
    return { worker: started, running: started.run() };
  };
  let { worker, running } = await launch(env.nativeConnection);
  const retired: Promise<void>[] = [];
  const app = await buildApp({ config, db: database.db, temporal: env.client, policy });
  if (options.listen) await app.listen({ host: '127.0.0.1', port });

  return {
    env,
    url: publicUrl,
    config,
    database,
    catcher,
    get worker() {
      return worker;
    },
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
    async restartWorker() {
      const old = { worker, running };
      const connection = await NativeConnection.connect({ address: env.address });
      connections.push(connection);
      ({ worker, running } = await launch(connection));
      old.worker.shutdown();
      retired.push(old.running);
    },
    async stop() {
      await app.close();
      worker.shutdown();
      await Promise.all([running, ...retired]);
      await Promise.all(connections.map((c) => c.close()));
      mailer.close();
      await catcher.stop();
      await database.drop();
    },
  };
}

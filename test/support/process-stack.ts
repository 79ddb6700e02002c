// Settle as a deployment runs it, for tests and benchmarks: the API and dispute workers as
// separate Node processes on a Temporal server of the caller's choosing, a fresh migrated
// database, and a mail catcher on loopback. Requests go over real HTTP.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DEV_API_KEYS, loadConfig, type Role } from '../../config';
import type { DatabaseKind } from '../../store/database-url';
import { startMailCatcher, type MailCatcher } from '../../scripts/mail-catcher';
import { repoRoot } from '../../scripts/cluster/paths';
import { pickPorts } from '../../scripts/cluster/ports';
import { Service } from '../../scripts/cluster/process';
import {
  apiSpec,
  settleEnv,
  waitForReady,
  waitForWorkers,
  workerSpec,
} from '../../scripts/cluster/settle';
import { createTestDatabase, type TestDatabase } from './database';
import type { TemporalServer } from './temporal-servers';

const READY_TIMEOUT_MS = 180_000;
const SECRETS = Object.fromEntries(
  loadConfig({ SETTLE_API_KEYS: DEV_API_KEYS }).SETTLE_API_KEYS.map((k) => [k.role, k.secret]),
) as Record<Role, string>;

export interface ProcessStackOptions {
  temporal: TemporalServer;
  database: DatabaseKind;
  workers: number;
  logDir: string;
  /** More environment for the API and workers, e.g. RATE_LIMIT_PER_MINUTE. */
  env?: Record<string, string>;
  /** Where Settle sends mail; default a mail catcher started here. */
  smtpUrl?: string;
}

export interface CallResult {
  status: number;
  body: any;
}

export interface ProcessStack {
  temporal: TemporalServer;
  database: TestDatabase;
  /** The mail catcher, unless the caller gave an SMTP URL. */
  catcher: MailCatcher | undefined;
  client: Client;
  apiUrl: string;
  api: Service;
  workers: Service[];
  /** An HTTP request to the API process as `role` (default manager). */
  call(
    method: 'GET' | 'POST',
    url: string,
    options?: { role?: Role | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<CallResult>;
  /** Starts one more worker process and waits until it polls. */
  addWorker(): Promise<Service>;
  stop(): Promise<void>;
}

export async function startProcessStack(options: ProcessStackOptions): Promise<ProcessStack> {
  mkdirSync(options.logDir, { recursive: true });
  const [database, catcher, [apiPort]] = await Promise.all([
    createTestDatabase(options.database),
    options.smtpUrl === undefined
      ? startMailCatcher({ smtpPort: 0, httpPort: 0, maxMessages: 100_000 })
      : undefined,
    pickPorts([0]),
  ]);
  const { temporal } = options;
  const env = settleEnv({
    databaseUrl: database.url,
    temporalAddress: temporal.address,
    namespace: temporal.namespace,
    smtpUrl: options.smtpUrl ?? catcher!.smtpUrl,
    apiPort: apiPort!,
    apiKeys: DEV_API_KEYS,
    logLevel: 'warn',
    extra: options.env ?? {},
  });
  const workers: Service[] = [];
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const api = new Service(apiSpec(env, path.join(options.logDir, 'api.log')));

  const startWorker = (): Service => {
    const name = `worker-${workers.length + 1}`;
    const worker = new Service(workerSpec(name, env, path.join(options.logDir, `${name}.log`)));
    workers.push(worker.start());
    return worker;
  };
  const awaitWorkers = async (started: readonly Service[]): Promise<void> => {
    const died = Promise.race(
      started.map((w) =>
        w.exited.then((exit) => {
          throw new Error(`${w.name} exited (${exit.code ?? exit.signal}):\n${w.tail()}`);
        }),
      ),
    );
    died.catch(() => undefined);
    await Promise.race([
      waitForWorkers(
        { address: temporal.address, namespace: temporal.namespace },
        started.map((w) => w.pid!),
        READY_TIMEOUT_MS,
      ),
      died,
    ]);
  };

  const stop = async (): Promise<void> => {
    await api.stop();
    await Promise.all(workers.map((w) => w.stop()));
    await connection.close();
    await catcher?.stop();
    await database.drop();
  };

  try {
    const started = Array.from({ length: options.workers }, startWorker);
    api.start();
    const apiDied = api.exited.then((exit) => {
      throw new Error(`api exited (${exit.code ?? exit.signal}):\n${api.tail()}`);
    });
    apiDied.catch(() => undefined);
    await Promise.race([waitForReady(apiUrl, READY_TIMEOUT_MS), apiDied]);
    await awaitWorkers(started);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    temporal,
    database,
    catcher,
    client,
    apiUrl,
    api,
    workers,
    async call(method, url, { role = 'manager', body, headers = {} } = {}) {
      const response = await fetch(`${apiUrl}${url}`, {
        method,
        headers: {
          ...(role ? { authorization: `Bearer ${SECRETS[role]}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async addWorker() {
      const worker = startWorker();
      await awaitWorkers([worker]);
      return worker;
    },
    stop,
  };
}

/** A fresh folder under var/test-logs/ for the logs of one test file's processes. */
export function testLogDir(name: string): string {
  const dir = path.join(repoRoot, 'var/test-logs', `${name}-${Date.now().toString(36)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

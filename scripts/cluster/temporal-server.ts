// The Temporal server on PostgreSQL: its environment (rendered by the server into
// deploy/temporal/config/settle.yaml), the schema and namespace steps docker-compose.yml runs too,
// and waiting until the frontend serves.
import { execFile } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { paths } from './paths';
import type { PostgresServer } from './postgres';

const run = promisify(execFile);

export const TEMPORAL_SERVER_VERSION = '1.29.1';

export interface TemporalServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

/** Temporal's own defaults, which scripts/cluster.sh prefers when they are free. */
export const DEFAULT_SERVER_PORTS: TemporalServerPorts = {
  frontend: 7233,
  frontendHttp: 7243,
  frontendMembership: 6933,
  history: 7234,
  historyMembership: 6934,
  matching: 7235,
  matchingMembership: 6935,
  worker: 7239,
  workerMembership: 6939,
};

export interface TemporalServerOptions {
  postgres: PostgresServer;
  database: string;
  visibilityDatabase: string;
  ports: TemporalServerPorts;
  /** The server's own log level (debug, info, warn, error). */
  logLevel?: string;
}

/** The environment the configuration template reads; docker-compose.yml sets the same names. */
export function temporalServerEnv(options: TemporalServerOptions): Record<string, string> {
  const { postgres, ports } = options;
  return {
    DB: 'postgres12',
    POSTGRES_SEEDS: postgres.host,
    DB_PORT: String(postgres.port),
    POSTGRES_USER: postgres.user,
    POSTGRES_PWD: postgres.password,
    DBNAME: options.database,
    VISIBILITY_DBNAME: options.visibilityDatabase,
    BIND_ON_IP: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(ports.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HISTORY_GRPC_PORT: String(ports.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.worker),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    LOG_LEVEL: options.logLevel ?? 'warn',
  };
}

/** The command that runs every Temporal service in one process, as the Docker image's entry point. */
export function temporalServerCommand(): { command: string; args: string[]; cwd: string } {
  return {
    command: paths.temporalServer,
    args: ['--root', '.', '--config', 'config', '--env', 'settle', '--allow-no-auth', 'start'],
    // The dynamic config path in the template is relative to the working directory.
    cwd: paths.temporalServerRoot,
  };
}

/** Creates the two databases and applies every schema version (scripts/temporal-schema.sh). */
export async function setupTemporalSchema(env: Record<string, string>): Promise<string> {
  const { stdout } = await run('sh', [paths.schemaScript], {
    env: { ...process.env, ...env, TEMPORAL_SQL_TOOL: paths.temporalSqlTool },
  });
  return stdout;
}

/** Waits until the frontend serves, then registers the namespace (scripts/temporal-namespace.sh). */
export async function registerNamespace(
  address: string,
  namespace: string,
  retention = '8760h',
): Promise<string> {
  const { stdout } = await run('sh', [paths.namespaceScript], {
    env: {
      ...process.env,
      TEMPORAL_CLI: paths.temporalCli,
      TEMPORAL_ADDRESS: address,
      DEFAULT_NAMESPACE: namespace,
      DEFAULT_NAMESPACE_RETENTION: retention,
    },
  });
  return stdout;
}

/** Resolves once the frontend at `address` answers its gRPC health check with SERVING. */
export async function waitForFrontend(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        const { status } = await connection.healthService.check({});
        if (status === proto.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING) return;
        last = new Error(`health status ${status}`);
      } finally {
        await connection.close();
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Temporal at ${address} did not serve within ${timeoutMs} ms: ${String(last)}`,
      );
    }
    await delay(250);
  }
}

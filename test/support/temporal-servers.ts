// Temporal servers as separate processes that a test or benchmark can stop, kill and restart:
// the CLI's dev server (in memory, or file-backed as `npm start` runs it) and the real server on
// PostgreSQL (as scripts/cluster.sh and docker-compose.yml run it), each on free loopback ports.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DEV_SERVER_SQLITE_PRAGMAS, devServerArgs } from '../../scripts/dev-server';
import { paths, requireClusterTools } from '../../scripts/cluster/paths';
import { pickPorts } from '../../scripts/cluster/ports';
import { dropDatabases, ensurePostgres, type PostgresServer } from '../../scripts/cluster/postgres';
import { Service } from '../../scripts/cluster/process';
import {
  registerNamespace,
  setupTemporalSchema,
  temporalServerCommand,
  temporalServerEnv,
  waitForFrontend,
  type TemporalServerPorts,
} from '../../scripts/cluster/temporal-server';

const START_TIMEOUT_MS = 120_000;

export interface TemporalServer {
  /** host:port of the frontend. */
  address: string;
  namespace: string;
  /** What runs, for reports: e.g. "dev server, file-backed (WAL)". */
  description: string;
  service: Service;
  /** Stops the server (SIGTERM, or `signal`) and starts it again on the same state and ports. */
  restart(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

async function startAndWait(service: Service, address: string): Promise<void> {
  service.start();
  const exited = service.exited.then((exit) => {
    throw new Error(
      `${service.name} exited (${exit.code ?? exit.signal}) during start-up:\n${service.tail()}`,
    );
  });
  exited.catch(() => undefined);
  await Promise.race([waitForFrontend(address, START_TIMEOUT_MS), exited]);
}

export interface DevServerOptions {
  logDir: string;
  /** SQLite file of the server's state; undefined keeps it in memory. */
  dbFile?: string;
  /** Default: the pragmas `npm start` uses. */
  sqlitePragmas?: readonly string[];
}

/** `temporal server start-dev`, headless, with the arguments `npm start` uses. */
export async function startDevServer(options: DevServerOptions): Promise<TemporalServer> {
  const [port] = await pickPorts([0]);
  const address = `127.0.0.1:${port}`;
  const service = new Service({
    name: 'temporal-dev-server',
    command: paths.temporalCli,
    args: devServerArgs({
      port: port!,
      uiPort: null,
      ...(options.dbFile === undefined ? {} : { dbFile: options.dbFile }),
      ...(options.sqlitePragmas === undefined ? {} : { sqlitePragmas: options.sqlitePragmas }),
    }),
    env: process.env,
    cwd: options.logDir,
    logFile: path.join(options.logDir, 'temporal-dev-server.log'),
  });
  await startAndWait(service, address);
  const pragmas = options.sqlitePragmas ?? DEV_SERVER_SQLITE_PRAGMAS;
  return {
    address,
    namespace: 'default',
    description:
      options.dbFile === undefined
        ? 'dev server, in memory'
        : `dev server, file-backed${pragmas.length ? ` (${pragmas.join(', ')})` : ' (SQLite defaults)'}`,
    service,
    async restart(signal) {
      if (signal) await service.kill(signal);
      else await service.stop();
      await startAndWait(service, address);
    },
    stop: () => service.stop(),
  };
}

export interface ClusterServer extends TemporalServer {
  postgres: PostgresServer;
  databases: readonly string[];
}

/**
 * The Temporal server on the project-owned PostgreSQL, with databases of its own (dropped by
 * `stop()`): the schema steps, configuration and namespace step of scripts/cluster.sh.
 */
export async function startClusterServer(options: { logDir: string }): Promise<ClusterServer> {
  requireClusterTools();
  const postgres = ensurePostgres();
  const suffix = randomBytes(4).toString('hex');
  const databases = [`temporal_t${suffix}`, `temporal_t${suffix}_visibility`] as const;
  const names: (keyof TemporalServerPorts)[] = [
    'frontend',
    'frontendHttp',
    'frontendMembership',
    'history',
    'historyMembership',
    'matching',
    'matchingMembership',
    'worker',
    'workerMembership',
  ];
  const picked = await pickPorts(names.map(() => 0));
  const ports = Object.fromEntries(
    names.map((name, i) => [name, picked[i]!]),
  ) as unknown as TemporalServerPorts;
  const env = temporalServerEnv({
    postgres,
    database: databases[0],
    visibilityDatabase: databases[1],
    ports,
  });
  try {
    await setupTemporalSchema(env);
  } catch (error) {
    await dropDatabases(postgres, databases);
    throw error;
  }
  const { command, args, cwd } = temporalServerCommand();
  const service = new Service({
    name: 'temporal-server',
    command,
    args,
    cwd,
    env: { ...process.env, ...env },
    logFile: path.join(options.logDir, 'temporal-server.log'),
  });
  const address = `127.0.0.1:${ports.frontend}`;
  const stop = async (): Promise<void> => {
    await service.stop();
    await dropDatabases(postgres, databases);
  };
  try {
    await startAndWait(service, address);
    await registerNamespace(address, 'default');
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    address,
    namespace: 'default',
    description: 'Temporal server 1.29.1 on PostgreSQL',
    service,
    postgres,
    databases,
    async restart(signal) {
      if (signal) await service.kill(signal);
      else await service.stop();
      await startAndWait(service, address);
    },
    stop,
  };
}

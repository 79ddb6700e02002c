// The project-owned PostgreSQL (scripts/postgres.sh) as the cluster uses it: one server, a
// database per concern (Temporal's two, Settle's own).
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { paths } from './paths';

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** postgresql://… of `database` on this server. */
  url(database: string): string;
}

function parse(url: string): PostgresServer {
  const parsed = new URL(url);
  const server = {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
  return {
    ...server,
    url: (database) =>
      `postgresql://${encodeURIComponent(server.user)}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${database}`,
  };
}

function postgresScript(...args: string[]): string {
  const out = execFileSync('bash', [paths.postgresScript, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').at(-1) ?? '';
}

/** True when scripts/postgres.sh reports its cluster running. */
export function postgresRunning(): boolean {
  try {
    execFileSync('bash', [paths.postgresScript, 'status'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts the project-owned cluster unless it runs (installing PostgreSQL when missing). */
export function ensurePostgres(): PostgresServer {
  return parse(postgresScript('ensure'));
}

export function stopPostgres(): void {
  execFileSync('bash', [paths.postgresScript, 'stop'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function withAdmin<T>(
  server: PostgresServer,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: server.url('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkName(name: string): string {
  if (!DATABASE_NAME.test(name)) throw new Error(`not a database name: ${name}`);
  return name;
}

/** Creates `name` unless it exists. */
export async function ensureDatabase(server: PostgresServer, name: string): Promise<void> {
  await withAdmin(server, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${checkName(name)}"`);
  });
}

/** Drops the databases that exist, disconnecting their sessions. */
export async function dropDatabases(
  server: PostgresServer,
  names: readonly string[],
): Promise<void> {
  await withAdmin(server, async (client) => {
    for (const name of names) {
      await client.query(`DROP DATABASE IF EXISTS "${checkName(name)}" WITH (FORCE)`);
    }
  });
}

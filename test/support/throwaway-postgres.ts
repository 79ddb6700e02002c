// A PostgreSQL cluster of a test's own (scripts/postgres.sh with SETTLE_PG_HOME in a temporary
// folder), for tests that stop the server under a running API without disturbing the shared one.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromRepoRoot } from './temporal';

export interface ThrowawayPostgres {
  /** URL of its `settle` database. */
  url: string;
  /** Stops the server (pg_ctl stop -m fast: open sessions are terminated). */
  stop(): void;
  /** Starts it again on the same port. */
  start(): void;
  /** Stops it and deletes its folder. */
  remove(): void;
}

export function startThrowawayPostgres(): ThrowawayPostgres {
  const home = mkdtempSync(path.join(tmpdir(), 'settle-pg-'));
  // The server runs as user postgres, which must pass through this folder (mkdtemp makes it 700).
  chmodSync(home, 0o755);
  const script = fromRepoRoot('scripts/postgres.sh');
  const run = (command: string, env: Record<string, string> = {}): string => {
    const { PGPORT_SETTLE: _pinned, ...inherited } = process.env;
    return execFileSync('bash', [script, command], {
      encoding: 'utf8',
      env: { ...inherited, ...env, SETTLE_PG_HOME: path.join(home, 'pg') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  };
  const url = run('ensure').trim().split('\n').at(-1) ?? '';
  const port = new URL(url).port;
  return {
    url,
    stop: () => void run('stop'),
    start: () => void run('ensure', { PGPORT_SETTLE: port }),
    remove() {
      try {
        run('stop');
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
}

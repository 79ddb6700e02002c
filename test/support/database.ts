// A fresh, migrated database per test file: a temporary SQLite file, or a new database on the
// PostgreSQL server that scripts/postgres.sh runs (URL in SETTLE_TEST_PG_URL, set by `npm test`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DatabaseKind } from '../../store/database-url';
import { createPrisma, type Db } from '../../store/db';
import { migrateDatabase } from '../../store/migrate';
import { fromRepoRoot } from './temporal';

export interface TestDatabase {
  kind: DatabaseKind;
  url: string;
  db: Db;
  drop(): Promise<void>;
}

export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'postgresql'];

function postgresBaseUrl(): string {
  const fromEnv = process.env.SETTLE_TEST_PG_URL;
  if (fromEnv) return fromEnv.replace(/\/[^/@]*$/, (m) => (m.includes(':') ? m : ''));
  const out = execFileSync('bash', [fromRepoRoot('scripts/postgres.sh'), 'ensure'], {
    encoding: 'utf8',
  });
  const base = out.trim().split('\n').at(-1) ?? '';
  process.env.SETTLE_TEST_PG_URL = base;
  return base;
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'settle-test-'));
    const url = `file:${path.join(dir, 'settle.db')}`;
    await migrateDatabase(url);
    const db = await createPrisma(url);
    return {
      kind,
      url,
      db,
      drop: async () => {
        await db.$disconnect();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `settle_test_${randomBytes(6).toString('hex')}`;
  const script = fromRepoRoot('scripts/postgres.sh');
  postgresBaseUrl();
  const url =
    execFileSync('bash', [script, 'createdb', name], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1) ?? '';
  await migrateDatabase(url);
  const db = await createPrisma(url);
  return {
    kind,
    url,
    db,
    drop: async () => {
      await db.$disconnect();
      execFileSync('bash', [script, 'dropdb', name], { stdio: 'ignore' });
    },
  };
}

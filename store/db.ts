// One factory for Settle's Prisma client: SQLite (embedded default) or PostgreSQL, both via driver adapters.
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Prisma, PrismaClient } from '../prisma/generated/sqlite/index.js';
import { databaseKind, sqliteFilePath } from './database-url';

/** Both generated clients have identical model APIs; code is typed against the SQLite one. */
export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;
export { Prisma };

/** A round trip to the database (readiness probes). */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRawUnsafe('SELECT 1');
}

/** The SQL a client speaks, for the few queries whose text differs between the two (date arithmetic). */
export type SqlDialect = 'sqlite' | 'postgresql';

const dialects = new WeakMap<Db, SqlDialect>();

export function dialectOf(db: Db): SqlDialect {
  const dialect = dialects.get(db);
  if (!dialect) throw new Error('dialectOf: not a client made by createPrisma');
  return dialect;
}

export interface PrismaOptions {
  /** How long SQLite waits for another connection's write lock before failing (ms). */
  sqliteBusyTimeoutMs?: number;
}

export async function createPrisma(url: string, options: PrismaOptions = {}): Promise<Db> {
  if (databaseKind(url) === 'postgresql') {
    const [{ PrismaClient: PgClient }, { createPgAdapter }] = await Promise.all([
      import('../prisma/generated/postgresql/index.js'),
      import('./pg-pool'),
    ]);
    const db = new PgClient({
      adapter: createPgAdapter(url),
      errorFormat: 'minimal',
    }) as unknown as Db;
    dialects.set(db, 'postgresql');
    return db;
  }
  const file = sqliteFilePath(url);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  // API and worker share the file: wait on locks instead of failing with SQLITE_BUSY.
  const db = new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: file, timeout: options.sqliteBusyTimeoutMs ?? 10_000 }),
    errorFormat: 'minimal',
  });
  await db.$executeRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  dialects.set(db, 'sqlite');
  return db;
}

// Applies pending migrations with the Prisma CLI's JavaScript engine (no engine downloads).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseKind, sqliteFilePath } from './database-url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The CLI must not look for native engines: point them at a placeholder. */
export const prismaCliEnv = {
  PRISMA_SCHEMA_ENGINE_BINARY: '/dev/null',
  PRISMA_QUERY_ENGINE_LIBRARY: '/dev/null',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};

export async function migrateDatabase(url: string): Promise<void> {
  if (databaseKind(url) === 'sqlite') {
    mkdirSync(path.dirname(sqliteFilePath(url)), { recursive: true });
  }
  const child = spawn(path.join(root, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], {
    cwd: root,
    env: { ...process.env, ...prismaCliEnv, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`);
}

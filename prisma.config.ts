import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { defineConfig } from 'prisma/config';
import {
  databaseKind,
  DEFAULT_DATABASE_URL,
  schemaPaths,
  sqliteFilePath,
} from './store/database-url';

// The Prisma CLI runs its JavaScript engines through driver adapters: nothing to download.
const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const kind = databaseKind(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: schemaPaths[kind].schema,
  migrations: { path: schemaPaths[kind].migrations },
  adapter: async () =>
    kind === 'postgresql'
      ? (await import('./store/pg-pool')).createPgAdapter(url)
      : new PrismaBetterSQLite3({ url: sqliteFilePath(url) }),
});

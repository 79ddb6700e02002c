import path from 'node:path';

export type DatabaseKind = 'sqlite' | 'postgresql';

export const DEFAULT_DATABASE_URL = 'file:./var/settle.db';

export function databaseKind(url: string): DatabaseKind {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  if (url.startsWith('file:')) return 'sqlite';
  throw new Error(
    `DATABASE_URL must start with file: or postgresql://, got "${url.split(':')[0]}:…"`,
  );
}

/** The SQLite file a `file:` URL names, resolved against the working directory. */
export function sqliteFilePath(url: string): string {
  const raw = url.slice('file:'.length).split('?')[0] ?? '';
  return raw === ':memory:' ? raw : path.resolve(raw);
}

/** Where each provider's schema and migrations live; the SQLite schema is the source of truth. */
export const schemaPaths: Record<DatabaseKind, { schema: string; migrations: string }> = {
  sqlite: { schema: 'prisma/schema.prisma', migrations: 'prisma/migrations' },
  postgresql: {
    schema: 'prisma/postgresql/schema.prisma',
    migrations: 'prisma/postgresql/migrations',
  },
};

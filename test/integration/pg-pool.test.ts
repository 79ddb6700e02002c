import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogTextPool, createPgAdapter } from '../../store/pg-pool';

const NAME = 19;
const CHAR = 18;
const TEXT = 25;

// relname and nspname are `name`, relkind is `"char"`.
const CATALOG_SQL = `SELECT c.relname, c.relkind, n.nspname
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relname = 'pg_class'`;
const CATALOG_ROW = { relname: 'pg_class', relkind: 'r', nspname: 'pg_catalog' };

const ORDINARY_SQL = `SELECT 1::int4 AS i4, 2::int8 AS i8, 'a'::text AS t, 'b'::varchar AS v,
  'c'::char(3) AS bp, true AS b, 1.50::numeric AS n, '2025-01-02 03:04:05Z'::timestamptz AS ts,
  '{}'::jsonb AS j, ARRAY['d']::name[] AS names`;
const ORDINARY_TYPE_IDS = [23, 20, 25, 1043, 1042, 16, 1700, 1184, 3802, 1003];

const CURRENT_DATABASE = { sql: 'SELECT current_database()', args: [], argTypes: [] };

const typeIds = (result: pg.QueryResult): number[] => result.fields.map((f) => f.dataTypeID);

async function serverUrl(): Promise<string> {
  const fromEnv = process.env.SETTLE_TEST_PG_URL;
  if (fromEnv) return fromEnv;
  const script = fileURLToPath(new URL('../../scripts/postgres.sh', import.meta.url));
  const { stdout } = await promisify(execFile)('bash', [script, 'ensure']);
  const url = stdout.trim().split('\n').at(-1);
  if (!url) throw new Error('scripts/postgres.sh ensure printed no URL');
  return url;
}

/**
 * `pool.end()` resolves once its clients are asked to end, before their sessions close; a `DROP … WITH (FORCE)` then
 * would terminate a session mid-goodbye and its pool would throw the termination as an unhandled error.
 */
async function waitForNoSessions(admin: pg.Client, database: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await admin.query<{ sessions: string }>(
      'SELECT count(*) AS sessions FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    if (rows[0]?.sessions === '0') return;
    if (Date.now() > deadline) throw new Error(`sessions on ${database} still open after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

describe('CatalogTextPool on PostgreSQL', () => {
  const database = `settle_test_${randomBytes(6).toString('hex')}`;
  let admin: pg.Client;
  let url: string;
  let pool: CatalogTextPool;

  beforeAll(async () => {
    const base = await serverUrl();
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    admin = client;
    await admin.query(`CREATE DATABASE ${database}`);
    url = databaseUrl(base, database);
    pool = new CatalogTextPool({ connectionString: url });
  }, 600_000);

  afterAll(async () => {
    // Optional chaining: if beforeAll failed, its error is the one to see.
    await pool?.end();
    if (admin) await waitForNoSessions(admin, database);
    await admin?.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin?.end();
  });

  it('sees name and "char" columns from a plain pg.Pool (the bug is still there to work around)', async () => {
    const plain = new pg.Pool({ connectionString: url });
    try {
      expect(typeIds(await plain.query(CATALOG_SQL))).toEqual([NAME, CHAR, NAME]);
    } finally {
      await plain.end();
    }
  });

  it('reports them as text from pool.query()', async () => {
    const result = await pool.query(CATALOG_SQL);
    expect(typeIds(result)).toEqual([TEXT, TEXT, TEXT]);
    expect(result.rows).toEqual([CATALOG_ROW]);
  });

  it('reports them as text from a client of pool.connect(), as PrismaPg queries it', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await client.query({ text: CATALOG_SQL, rowMode: 'array' });
      await client.query('COMMIT');
      expect(typeIds(result)).toEqual([TEXT, TEXT, TEXT]);
      expect(result.rows).toEqual([Object.values(CATALOG_ROW)]);
    } finally {
      client.release();
    }
  });

  it('leaves other types untouched', async () => {
    const plain = new pg.Pool({ connectionString: url });
    try {
      const fromPlain = await plain.query(ORDINARY_SQL);
      const fromPool = await pool.query(ORDINARY_SQL);
      expect(typeIds(fromPool)).toEqual(ORDINARY_TYPE_IDS);
      expect(typeIds(fromPool)).toEqual(typeIds(fromPlain));
      expect(fromPool.rows).toEqual(fromPlain.rows);
    } finally {
      await plain.end();
    }
  });

  it('lets PrismaPg read catalog columns that it rejects through a plain pg.Pool', async () => {
    const query = { sql: CATALOG_SQL, args: [], argTypes: [] };
    const plain = await new PrismaPg(new pg.Pool({ connectionString: url }), {
      disposeExternalPool: true,
    }).connect();
    try {
      await expect(plain.queryRaw(query)).rejects.toMatchObject({
        cause: { kind: 'UnsupportedNativeDataType', type: 'name' },
      });
    } finally {
      await plain.dispose();
    }

    const adapter = await createPgAdapter(url).connect();
    try {
      expect((await adapter.queryRaw(query)).rows).toEqual([Object.values(CATALOG_ROW)]);
    } finally {
      await adapter.dispose();
    }
  });

  it("still gets the main database from PrismaPg's own shadow database (why createPgAdapter overrides it)", async () => {
    // PrismaPg's own connectToShadowDb never disposes the connection it creates the shadow database with.
    const external = new CatalogTextPool({ connectionString: url });
    try {
      const shadow = await new PrismaPg(external, { disposeExternalPool: true }).connectToShadowDb();
      try {
        const { rows } = await shadow.queryRaw(CURRENT_DATABASE);
        expect(rows).toEqual([[database]]);
      } finally {
        await shadow.dispose();
      }
    } finally {
      await external.end();
    }
  });

  it('gives Prisma Migrate a real shadow database with the fix, and drops it afterwards', async () => {
    const shadow = await createPgAdapter(url).connectToShadowDb();
    let shadowName: unknown;
    try {
      const { rows } = await shadow.queryRaw({ sql: CATALOG_SQL, args: [], argTypes: [] });
      expect(rows).toEqual([Object.values(CATALOG_ROW)]);
      const current = await shadow.queryRaw(CURRENT_DATABASE);
      shadowName = current.rows[0]?.[0];
      expect(shadowName).toMatch(/^prisma_migrate_shadow_db_/);
    } finally {
      await shadow.dispose();
    }
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [shadowName]);
    expect(left.rowCount).toBe(0);
  });
});

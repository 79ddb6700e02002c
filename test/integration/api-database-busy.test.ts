// A PostgreSQL pool with every connection taken makes Prisma give up starting a transaction
// (P2028, after its wait): under load that reached POST /v1/disputes, which answered 500. The API
// answers it, like any busy or unreachable database, with 503 and Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUnavailable } from '../../api/http/database-errors';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** node-postgres' default pool size, which the Prisma adapter keeps. */
const POOL_SIZE = 10;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('postgresql');
});
afterAll(async () => {
  await database?.drop();
});

describe('a database with no connection free', () => {
  it('is 503 with Retry-After, not an internal error', async () => {
    const { db } = database;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holders = Array.from({ length: POOL_SIZE }, () =>
      db.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1`;
          await gate;
        },
        { timeout: 30_000 },
      ),
    );
    // A connection comes free only after the new transaction's wait is over.
    const later = setTimeout(release, 2_000);
    const error: unknown = await db
      .$transaction(async (tx) => tx.$queryRaw`SELECT 1`, { maxWait: 1_000 })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    clearTimeout(later);
    release();
    await Promise.all(holders);
    expect(error).toMatchObject({ code: 'P2028' });
    const answer = databaseUnavailable(error);
    expect(answer).toMatchObject({
      statusCode: 503,
      code: 'unavailable',
      headers: { 'retry-after': '5' },
      details: { service: 'database' },
    });
    expect(databaseUnavailable(new Error('something else'))).toBeNull();
  });
});

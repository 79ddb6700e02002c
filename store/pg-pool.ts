import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

// Prisma's adapter-pg has no column type for catalog `name`/`"char"`, so its JS schema engine fails (prisma/orm#27403).
const CATALOG_TYPE_IDS: ReadonlySet<number> = new Set([18, 19]);
const TEXT_TYPE_ID = 25;

interface FieldDescription {
  dataTypeID: number;
}

function isFieldDescription(value: unknown): value is FieldDescription {
  return (
    typeof value === 'object' &&
    value !== null &&
    'dataTypeID' in value &&
    typeof value.dataTypeID === 'number'
  );
}

function reportCatalogTypesAsText(message: unknown): void {
  const fields: unknown =
    typeof message === 'object' && message !== null && 'fields' in message
      ? message.fields
      : undefined;
  if (!Array.isArray(fields)) return;
  for (const field of fields as unknown[]) {
    if (isFieldDescription(field) && CATALOG_TYPE_IDS.has(field.dataTypeID)) {
      field.dataTypeID = TEXT_TYPE_ID;
    }
  }
}

/** A `pg.Client` whose results describe `name` and `"char"` columns as `text`, whatever the query API. */
export class CatalogTextClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // Rewriting the wire-level row description before the client's own handler covers every result path.
    this.connection.prependListener('rowDescription', reportCatalogTypesAsText);
  }
}

/** A `pg.Pool` of `CatalogTextClient`s; pools PrismaPg derives from its options keep the fix. */
export class CatalogTextPool extends pg.Pool {
  constructor(config: Omit<pg.PoolConfig, 'Client'> = {}) {
    super({ ...config, Client: CatalogTextClient });
  }
}

function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

async function runAdminStatement(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

class CatalogTextPrismaPg extends PrismaPg {
  readonly #connectionString: string;

  constructor(connectionString: string) {
    super(new CatalogTextPool({ connectionString }), { disposeExternalPool: true });
    this.#connectionString = connectionString;
  }

  // 6.19.3 spreads pool.options into the shadow pool, where a connectionString overrides the shadow `database`.
  override async connectToShadowDb(): ReturnType<PrismaPg['connectToShadowDb']> {
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    await runAdminStatement(this.#connectionString, `CREATE DATABASE "${database}"`);
    const shadowUrl = withDatabase(this.#connectionString, database);
    const shadow = await new PrismaPg(new CatalogTextPool({ connectionString: shadowUrl }), {
      disposeExternalPool: true,
    }).connect();
    const endShadowPool = shadow.dispose.bind(shadow);
    shadow.dispose = async (): Promise<void> => {
      await endShadowPool();
      await runAdminStatement(this.#connectionString, `DROP DATABASE "${database}"`);
    };
    return shadow;
  }
}

/** The Prisma driver adapter for PostgreSQL; `$disconnect()` ends the pool it owns. */
export function createPgAdapter(connectionString: string): PrismaPg {
  return new CatalogTextPrismaPg(connectionString);
}

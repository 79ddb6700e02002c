// Upserts many rows in few round trips: read what exists in chunks, insert the new rows with
// createMany, update only rows that differ, and replace a parent's child rows only when they
// changed. Re-importing the same records therefore writes nothing.
import { Prisma, type Tx } from './db';

/** SQLite through Prisma binds at most 999 values per statement; `IN` lists stay below that. */
const CHUNK = 500;
/** Rows per multi-row INSERT: a few thousand bound values, under SQLite's and PostgreSQL's limits. */
const ROWS_PER_INSERT = 400;

type Scalar = string | number | bigint | boolean | null;
type Row = Record<string, Scalar>;

/** Reads by key in chunks small enough for any database's bound-parameter limit. */
export async function inChunks<T>(
  keys: readonly string[],
  read: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) out.push(...(await read(keys.slice(i, i + CHUNK))));
  return out;
}

function sameRow(a: Row, b: Row): boolean {
  for (const key of Object.keys(a)) if (a[key] !== b[key]) return false;
  return true;
}

export interface ParentTable<R extends Row & { id: string }> {
  /** The rows with these ids, with the same fields as the rows written. */
  find(ids: string[]): Promise<R[]>;
  createMany(rows: R[]): Promise<unknown>;
  update(row: R): Promise<unknown>;
}

/** Inserts or updates `rows` by id; returns the ids that existed before. */
export async function upsertRows<R extends Row & { id: string }>(
  table: ParentTable<R>,
  rows: readonly R[],
): Promise<Set<string>> {
  const existing = new Map(
    (
      await inChunks(
        rows.map((r) => r.id),
        (ids) => table.find(ids),
      )
    ).map((r) => [r.id, r]),
  );
  const created: R[] = [];
  for (const row of rows) {
    const before = existing.get(row.id);
    if (before === undefined) created.push(row);
    else if (!sameRow(row, before)) await table.update(row);
  }
  if (created.length > 0) await table.createMany(created);
  return new Set(existing.keys());
}

export interface ChildTable<C extends Row> {
  parentOf(row: C): string;
  /** Identifies a row within its parent (position, SKU, discount id). */
  keyOf(row: C): string;
  /** The child rows of these parents, with the same fields as the rows written. */
  find(parentIds: string[]): Promise<C[]>;
  deleteFor(parentIds: string[]): Promise<unknown>;
  createMany(rows: C[]): Promise<unknown>;
}

function byParent<C extends Row>(table: ChildTable<C>, rows: readonly C[]): Map<string, C[]> {
  const groups = new Map<string, C[]>();
  for (const row of rows) {
    const parent = table.parentOf(row);
    const group = groups.get(parent);
    if (group) group.push(row);
    else groups.set(parent, [row]);
  }
  for (const group of groups.values())
    group.sort((a, b) => (table.keyOf(a) < table.keyOf(b) ? -1 : 1));
  return groups;
}

/**
 * Makes each parent's child rows exactly `rows`: parents new to the database get theirs inserted,
 * existing parents whose children differ get them deleted and inserted again, the rest are left alone.
 */
export async function replaceChildren<C extends Row>(
  table: ChildTable<C>,
  parentIds: readonly string[],
  existed: ReadonlySet<string>,
  rows: readonly C[],
): Promise<void> {
  const wanted = byParent(table, rows);
  const old = parentIds.filter((id) => existed.has(id));
  const current = byParent(table, await inChunks(old, (ids) => table.find(ids)));
  const changed = old.filter((id) => {
    const want = wanted.get(id) ?? [];
    const have = current.get(id) ?? [];
    return want.length !== have.length || want.some((row, i) => !sameRow(row, have[i]!));
  });
  for (let i = 0; i < changed.length; i += CHUNK)
    await table.deleteFor(changed.slice(i, i + CHUNK));
  const write = new Set([...parentIds.filter((id) => !existed.has(id)), ...changed]);
  const inserts = rows.filter((row) => write.has(table.parentOf(row)));
  if (inserts.length > 0) await table.createMany(inserts);
}

/**
 * One multi-row INSERT per few hundred rows, for the large line tables: Prisma's createMany
 * spends about five times as long per row. Only for tables without DateTime columns, whose
 * encoding is Prisma's business; table and column names are this module's own constants.
 */
export async function insertRows<R extends Row>(
  tx: Tx,
  table: Prisma.ModelName,
  rows: readonly R[],
): Promise<void> {
  const columns = Object.keys(rows[0] ?? {});
  const head = Prisma.raw(
    `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `,
  );
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const values = rows
      .slice(i, i + ROWS_PER_INSERT)
      .map((row) => Prisma.sql`(${Prisma.join(columns.map((c) => row[c]))})`);
    // Built with this module's Prisma.sql: the PostgreSQL client reads its placeholders from `.text`.
    await tx.$executeRaw(Prisma.sql`${head}${Prisma.join(values)}`);
  }
}

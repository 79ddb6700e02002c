// Lists of disputes for the inbox and the API: filters, search, two orders and keyset cursors.
// A cursor is `<key>.<dispute id>` where key is the sort field in epoch milliseconds (or `none` for a
// dispute without deadline): any string of that form is a valid position, never an error.
import { OPEN_PHASES, WAITING_PHASES, type Phase } from '../../domain/dispute';
import type { Db, Prisma } from '../db';
import { withCustomerName, type DisputeSummaryRow } from './find';

export const DISPUTE_CURSOR = /^(\d{1,13}|none)\.(D-[0-9A-Z]{10})$/;

export type DisputeSort = 'opened' | 'deadline';
export type DisputeState = 'open' | 'waiting' | 'closed';

export interface DisputeListQuery {
  phase?: Phase | undefined;
  customerId?: string | undefined;
  escalationLevel?: number | undefined;
  state?: DisputeState | undefined;
  assignee?: string | undefined;
  unassigned?: boolean | undefined;
  escalated?: boolean | undefined;
  overdue?: boolean | undefined;
  /** Part of the case number, customer number or name, or invoice number. */
  q?: string | undefined;
  sort: DisputeSort;
  limit: number;
  cursor?: string | undefined;
}

export type DisputeListRow = DisputeSummaryRow;

export interface DisputePage {
  rows: DisputeListRow[];
  nextCursor: string | null;
}

/** `%` and `_` match themselves in the LIKE pattern. */
const likeContains = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Customers whose number or name contains `q`, ignoring case on both databases. */
async function customersMatching(db: Db, q: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Customer"
    WHERE LOWER("name") LIKE ${likeContains(q.toLowerCase())} ESCAPE '\\'
       OR LOWER("id") LIKE ${likeContains(q.toLowerCase())} ESCAPE '\\'
    LIMIT 1000`;
  return rows.map((r) => r.id);
}

function cursorCondition(sort: DisputeSort, cursor: string): Prisma.DisputeWhereInput {
  const [, key = '', id = ''] = DISPUTE_CURSOR.exec(cursor) ?? [];
  if (sort === 'opened') {
    // Every dispute has an opening time: a `none` position lies past the last one.
    if (key === 'none') return { id: { in: [] } };
    const at = new Date(Number(key));
    return { OR: [{ openedAt: { lt: at } }, { openedAt: at, id: { lt: id } }] };
  }
  if (key === 'none') return { deadline: null, id: { gt: id } };
  const at = new Date(Number(key));
  return {
    OR: [{ deadline: { gt: at } }, { deadline: at, id: { gt: id } }, { deadline: null }],
  };
}

function cursorOf(sort: DisputeSort, row: DisputeListRow): string {
  const at = sort === 'opened' ? row.openedAt : row.deadline;
  return `${at ? String(at.getTime()) : 'none'}.${row.id}`;
}

export async function listDisputes(
  db: Db,
  query: DisputeListQuery,
  now: Date,
): Promise<DisputePage> {
  const and: Prisma.DisputeWhereInput[] = [];
  if (query.phase) and.push({ phase: query.phase });
  if (query.customerId) and.push({ customerId: query.customerId });
  if (query.escalationLevel !== undefined) and.push({ escalationLevel: query.escalationLevel });
  if (query.state === 'open') and.push({ phase: { in: [...OPEN_PHASES] } });
  if (query.state === 'waiting') and.push({ phase: { in: [...WAITING_PHASES] } });
  if (query.state === 'closed') and.push({ phase: 'closed' });
  if (query.assignee !== undefined) and.push({ assignee: query.assignee });
  if (query.unassigned !== undefined)
    and.push(query.unassigned ? { assignee: null } : { assignee: { not: null } });
  if (query.escalated !== undefined)
    and.push(query.escalated ? { escalationLevel: { gt: 0 } } : { escalationLevel: 0 });
  if (query.overdue !== undefined) {
    and.push(
      query.overdue
        ? { deadline: { lte: now }, phase: { in: [...OPEN_PHASES] } }
        : { OR: [{ deadline: null }, { deadline: { gt: now } }, { phase: 'closed' }] },
    );
  }
  // Prisma's `contains` treats % and _ as LIKE wildcards: its matches are a superset, which the
  // exact test below narrows when the search text holds one.
  let exact: ((row: DisputeListRow) => boolean) | null = null;
  if (query.q) {
    const q = query.q;
    const customers = new Set(await customersMatching(db, q));
    and.push({
      OR: [
        { id: { contains: q.toUpperCase() } },
        { invoiceId: { contains: q } },
        { invoiceId: { contains: q.toUpperCase() } },
        { customerId: { in: [...customers] } },
      ],
    });
    if (/[%_]/.test(q)) {
      const lower = q.toLowerCase();
      exact = (row) =>
        row.id.toLowerCase().includes(lower) ||
        row.invoiceId.toLowerCase().includes(lower) ||
        customers.has(row.customerId);
    }
  }

  const orderBy: Prisma.DisputeOrderByWithRelationInput[] =
    query.sort === 'opened'
      ? [{ openedAt: 'desc' }, { id: 'desc' }]
      : [{ deadline: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }];
  const fetch = (cursor: string | undefined, take: number): Promise<DisputeListRow[]> =>
    db.dispute.findMany({
      where: { AND: cursor ? [...and, cursorCondition(query.sort, cursor)] : and },
      orderBy,
      take,
      include: withCustomerName,
    });

  let rows: DisputeListRow[];
  if (!exact) {
    rows = await fetch(query.cursor, query.limit + 1);
  } else {
    rows = [];
    const batch = Math.max(query.limit + 1, 200);
    for (let cursor = query.cursor; rows.length <= query.limit;) {
      const fetched = await fetch(cursor, batch);
      rows.push(...fetched.filter(exact));
      const last = fetched.at(-1);
      if (fetched.length < batch || !last) break;
      cursor = cursorOf(query.sort, last);
    }
  }
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > query.limit && last ? cursorOf(query.sort, last) : null,
  };
}

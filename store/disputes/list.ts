// A page of disputes, newest first, by keyset on (openedAt, id): stable while disputes open.
import type { Db, Prisma } from '../db';
import type { DisputeRow } from './find';

/** Where a page starts: after the dispute with this (openedAt, id). */
export interface DisputeCursor {
  openedAt: Date;
  id: string;
}

export interface DisputeFilter {
  phase?: string | undefined;
  customerId?: string | undefined;
  escalationLevel?: number | undefined;
}

export interface DisputePage {
  items: DisputeRow[];
  /** The position of the page's last item when more follow, else null. */
  next: DisputeCursor | null;
}

export async function listDisputes(
  db: Db,
  filter: DisputeFilter,
  page: { after: DisputeCursor | null; limit: number },
): Promise<DisputePage> {
  const where: Prisma.DisputeWhereInput = {
    ...(filter.phase ? { phase: filter.phase } : {}),
    ...(filter.customerId ? { customerId: filter.customerId } : {}),
    ...(filter.escalationLevel !== undefined ? { escalationLevel: filter.escalationLevel } : {}),
  };
  if (page.after) {
    const { openedAt, id } = page.after;
    where.OR = [{ openedAt: { lt: openedAt } }, { openedAt, id: { lt: id } }];
  }
  // One more than the page: whether it exists says whether another page follows.
  const rows = await db.dispute.findMany({
    where,
    orderBy: [{ openedAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items,
    next: rows.length > page.limit && last ? { openedAt: last.openedAt, id: last.id } : null,
  };
}

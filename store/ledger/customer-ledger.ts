// A customer's ledger: entries newest first, by keyset on the entry id, and the sum of every
// account and currency the customer's postings touch.
import type { Db, Prisma } from '../db';

const withPosting = {
  posting: {
    select: {
      id: true,
      description: true,
      postedAt: true,
      adjustment: { select: { documentNumber: true, disputeId: true } },
    },
  },
} satisfies Prisma.LedgerEntryInclude;

/** An entry with the posting it belongs to and the correction document that posting books. */
export type LedgerEntryRow = Prisma.LedgerEntryGetPayload<{ include: typeof withPosting }>;

export interface AccountSum {
  account: string;
  currency: string;
  /** Debit positive, credit negative, in minor units. */
  amount: bigint;
}

export interface CustomerLedgerRows {
  entries: LedgerEntryRow[];
  /** By account, then currency. */
  sums: AccountSum[];
  /** The id to pass as `before` for the next page, or null on the last page. */
  next: number | null;
}

/** The customer's entries with ids below `before` (newest first) and sums; null for no customer. */
export async function loadCustomerLedger(
  db: Db,
  customerId: string,
  page: { limit: number; before?: number | undefined },
): Promise<CustomerLedgerRows | null> {
  const customer = await db.customer.findUnique({
    where: { id: customerId },
    select: { id: true },
  });
  if (!customer) return null;
  const [rows, sums] = await Promise.all([
    db.ledgerEntry.findMany({
      where: { customerId, ...(page.before !== undefined ? { id: { lt: page.before } } : {}) },
      orderBy: { id: 'desc' },
      take: page.limit + 1,
      include: withPosting,
    }),
    db.ledgerEntry.groupBy({
      by: ['account', 'currency'],
      where: { customerId },
      _sum: { amount: true },
      orderBy: [{ account: 'asc' }, { currency: 'asc' }],
    }),
  ]);
  const entries = rows.slice(0, page.limit);
  const last = entries.at(-1);
  return {
    entries,
    sums: sums.map((s) => ({
      account: s.account,
      currency: s.currency,
      amount: s._sum.amount ?? 0n,
    })),
    next: rows.length > page.limit && last ? last.id : null,
  };
}

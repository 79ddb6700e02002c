// A customer's ledger for the API: entries newest first, and the balance of every account the
// customer's postings touch.
import { accountType, receivableAccount } from '../../domain/ledger/accounts';
import { absMinor, money, toMoneyDto } from '../../domain/money';
import type { Db } from '../db';
import type { CustomerLedgerDto } from '../../api/ledger/schemas';

export interface LedgerPage {
  limit: number;
  cursor?: string | undefined;
}

export async function loadCustomerLedger(
  db: Db,
  customerId: string,
  page: LedgerPage,
): Promise<CustomerLedgerDto | null> {
  const customer = await db.customer.findUnique({
    where: { id: customerId },
    select: { id: true },
  });
  if (!customer) return null;
  const [rows, sums] = await Promise.all([
    db.ledgerEntry.findMany({
      where: { customerId, ...(page.cursor ? { id: { lt: Number(page.cursor) } } : {}) },
      orderBy: { id: 'desc' },
      take: page.limit + 1,
      include: {
        posting: {
          select: {
            id: true,
            description: true,
            postedAt: true,
            adjustment: { select: { documentNumber: true, disputeId: true } },
          },
        },
      },
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
  const balances = sums.map((s) => ({
    account: s.account,
    type: accountType(s.account),
    balance: toMoneyDto(money(s._sum.amount ?? 0n, s.currency)),
  }));
  const receivable = receivableAccount(customerId);
  return {
    customerId,
    receivable: balances.filter((b) => b.account === receivable).map((b) => b.balance),
    balances,
    entries: entries.map((e) => ({
      id: String(e.id),
      postingId: e.posting.id,
      postedAt: e.posting.postedAt.toISOString(),
      description: e.posting.description,
      documentNumber: e.posting.adjustment?.documentNumber ?? null,
      disputeId: e.posting.adjustment?.disputeId ?? null,
      account: e.account,
      side: e.amount < 0n ? 'credit' : 'debit',
      amount: toMoneyDto(money(absMinor(e.amount), e.currency)),
    })),
    nextCursor: rows.length > page.limit && last ? String(last.id) : null,
  };
}

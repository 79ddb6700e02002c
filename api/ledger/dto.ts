// Maps a customer's ledger rows to the API's JSON: balances typed by account, entries as a side
// and a positive amount.
import { accountType, receivableAccount } from '../../domain/ledger/accounts';
import { absMinor, money, toMoneyDto } from '../../domain/money';
import type { CustomerLedgerRows } from '../../store/ledger/customer-ledger';
import type { CustomerLedgerDto } from './schemas';

export function customerLedgerDto(customerId: string, rows: CustomerLedgerRows): CustomerLedgerDto {
  const balances = rows.sums.map((s) => ({
    account: s.account,
    type: accountType(s.account),
    balance: toMoneyDto(money(s.amount, s.currency)),
  }));
  const receivable = receivableAccount(customerId);
  return {
    customerId,
    receivable: balances.filter((b) => b.account === receivable).map((b) => b.balance),
    balances,
    entries: rows.entries.map((e) => ({
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
    nextCursor: rows.next === null ? null : String(rows.next),
  };
}

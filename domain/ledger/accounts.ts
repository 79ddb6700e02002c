// The chart of accounts and double-entry lines: debits positive, credits negative, every posting
// sums to zero. Amounts are integer minor units of the posting's currency.

/** Company accounts; each customer also has its own receivable, `receivable:<customerId>`. */
export const COMPANY_ACCOUNTS = {
  /** Sales, net of tax. */
  revenue: 'revenue',
  /** Credits granted against sales (credit notes): reduces revenue without editing it. */
  contraRevenue: 'contra_revenue',
  /** Tax collected or billed for the tax authority. */
  taxPayable: 'tax_payable',
  /** Money received. */
  cash: 'cash',
  /** Money owed back to customers until the refund is paid out. */
  refundsPayable: 'refunds_payable',
  /** Amounts the company chose not to collect (small undercharges). */
  writeOffs: 'write_offs',
} as const;

export type AccountType = 'asset' | 'liability' | 'revenue' | 'contra_revenue' | 'expense';

const ACCOUNT_TYPES: Readonly<Record<string, AccountType>> = {
  revenue: 'revenue',
  contra_revenue: 'contra_revenue',
  tax_payable: 'liability',
  cash: 'asset',
  refunds_payable: 'liability',
  write_offs: 'expense',
};

const RECEIVABLE_PREFIX = 'receivable:';

export function receivableAccount(customerId: string): string {
  return `${RECEIVABLE_PREFIX}${customerId}`;
}

/** The customer whose receivable `account` is, or null for a company account. */
export function receivableCustomer(account: string): string | null {
  return account.startsWith(RECEIVABLE_PREFIX) ? account.slice(RECEIVABLE_PREFIX.length) : null;
}

export function accountType(account: string): AccountType {
  if (receivableCustomer(account) !== null) return 'asset';
  const type = ACCOUNT_TYPES[account];
  if (!type) throw new LedgerError(`unknown account "${account}"`);
  return type;
}

export class LedgerError extends Error {
  override readonly name = 'LedgerError';
}

/** One side of a posting: a signed amount (debit > 0, credit < 0) on an account. */
export interface LedgerLine {
  readonly account: string;
  readonly amount: bigint;
}

/** A balanced set of lines for one customer's document, in one currency. */
export interface PostingDraft {
  readonly customerId: string;
  readonly currency: string;
  readonly description: string;
  readonly lines: readonly LedgerLine[];
}

export function debit(account: string, minor: bigint): LedgerLine {
  return { account, amount: minor };
}

export function credit(account: string, minor: bigint): LedgerLine {
  return { account, amount: -minor };
}

/** Σ lines: zero for a balanced posting. */
export function imbalance(lines: readonly LedgerLine[]): bigint {
  return lines.reduce((total, line) => total + line.amount, 0n);
}

export function isBalanced(lines: readonly LedgerLine[]): boolean {
  return imbalance(lines) === 0n;
}

/** Drops zero lines, then refuses an empty or unbalanced posting. */
export function draftPosting(
  customerId: string,
  currency: string,
  description: string,
  lines: readonly LedgerLine[],
): PostingDraft {
  const kept = lines.filter((line) => line.amount !== 0n);
  if (kept.length === 0) throw new LedgerError(`posting "${description}" has no non-zero line`);
  const off = imbalance(kept);
  if (off !== 0n) throw new LedgerError(`posting "${description}" is off by ${off} minor units`);
  for (const line of kept) accountType(line.account);
  return { customerId, currency, description, lines: kept };
}

/** The lines that undo `lines`: same accounts, opposite signs. */
export function reverseLines(lines: readonly LedgerLine[]): LedgerLine[] {
  return lines.map((line) => ({ account: line.account, amount: -line.amount }));
}

/** Net amount per account, zero balances left out, accounts in name order. */
export function netByAccount(lines: Iterable<LedgerLine>): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const line of lines)
    totals.set(line.account, (totals.get(line.account) ?? 0n) + line.amount);
  return new Map(
    [...totals].filter(([, amount]) => amount !== 0n).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

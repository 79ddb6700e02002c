// Splits an amount into installments that sum to it exactly, due every 30 days.
import { DAY_MS } from '../calendar';
import { money, type Money } from '../money';

export const INSTALLMENT_INTERVAL_DAYS = 30;

export interface PlannedInstallment {
  number: number;
  /** YYYY-MM-DD */
  dueOn: string;
  amount: Money;
}

/** The first `remainder` installments carry one extra minor unit, so the sum is exact. */
export function planInstallments(
  total: Money,
  count: number,
  startMs: number,
): PlannedInstallment[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError('installment count must be a positive integer');
  const n = BigInt(count);
  const base = total.minor / n;
  const remainder = total.minor % n;
  return Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    dueOn: new Date(startMs + (i + 1) * INSTALLMENT_INTERVAL_DAYS * DAY_MS)
      .toISOString()
      .slice(0, 10),
    amount: money(base + (BigInt(i) < remainder ? 1n : 0n), total.currency),
  }));
}

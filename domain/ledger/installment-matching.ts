// Which installments of an invoice's payment plans the payments recorded on it have paid. Money
// settles what fell due first: the invoice's own balance (due before any installment), then the
// installments oldest first, a partial payment accumulating on the oldest unpaid one. Recomputed
// from the totals each time, so a re-imported payment or a refund moves the matching with it.
import type { PostedCorrection } from './correction-effect';
import { invoiceBalance } from './correction-checks';

export interface PlanInstallment {
  /** Identifies the row (adjustment and number). */
  id: string;
  /** YYYY-MM-DD */
  dueAt: string;
  amount: bigint;
  paid: bigint;
  status: 'scheduled' | 'paid' | 'cancelled';
}

/**
 * What payments leave for the plans once everything else the invoice bills is paid: payments −
 * refunds − (total + credits and debits but the plans'), never below 0.
 */
export function paidTowardPlans(
  total: bigint,
  payments: readonly bigint[],
  posted: readonly PostedCorrection[],
): bigint {
  const plans = new Set(
    posted.filter((d) => d.kind === 'payment_plan').map((d) => d.documentNumber),
  );
  const others = posted.filter(
    (d) => !plans.has(d.documentNumber) && !(d.reverses && plans.has(d.reverses)),
  );
  const { open } = invoiceBalance(total, payments, others);
  return open < 0n ? -open : 0n;
}

/**
 * The installments (live ones in due order; cancelled ones keep what they had) with `available`
 * spread over them oldest first. Returns only those whose paid amount or status changes.
 */
export function matchInstallments(
  available: bigint,
  installments: readonly PlanInstallment[],
): PlanInstallment[] {
  let left = available;
  const changed: PlanInstallment[] = [];
  for (const installment of installments) {
    if (installment.status === 'cancelled') continue;
    const paid = left >= installment.amount ? installment.amount : left;
    left -= paid;
    const status = paid === installment.amount ? 'paid' : 'scheduled';
    if (paid !== installment.paid || status !== installment.status)
      changed.push({ ...installment, paid, status });
  }
  return changed;
}

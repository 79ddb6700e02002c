// Payment plans follow through: payments recorded on an invoice settle its plans' installments in
// the same transaction (imports, and a plan's own posting), and a dispute's plans report them.
import type { InstallmentStatus } from '../../domain/ledger/correction';
import {
  matchInstallments as spread,
  paidTowardPlans,
  type PlanInstallment,
} from '../../domain/ledger/installment-matching';
import { money, toMoneyDto } from '../../domain/money';
import type { Db, Tx } from '../db';
import { inChunks } from '../bulk-upsert';
import { invoiceFamily, lockInvoiceFamilies, postedCorrections } from './posted';

const STATUSES = new Set<string>(['scheduled', 'paid', 'cancelled']);

function statusOf(status: string): PlanInstallment['status'] {
  return STATUSES.has(status) ? (status as PlanInstallment['status']) : 'scheduled';
}

/** The family roots of some invoices; most are roots themselves, so one query a chunk usually does. */
async function familyRoots(tx: Tx, invoiceIds: readonly string[]): Promise<string[]> {
  const rows = await inChunks(invoiceIds, (ids) =>
    tx.invoice.findMany({ where: { id: { in: ids } }, select: { id: true, replacesId: true } }),
  );
  const roots = new Set<string>();
  for (const row of rows)
    roots.add(row.replacesId === null ? row.id : (await invoiceFamily(tx, row.id)).root);
  return [...roots].sort();
}

/**
 * Re-matches the installments of every payment plan on these invoices against the payments
 * recorded on them. Locks the invoices' families first, so a plan posted at the same time either
 * sees this transaction's payments or is seen by it.
 */
export async function matchInstallments(tx: Tx, invoiceIds: readonly string[]): Promise<void> {
  const ids = [...new Set(invoiceIds)];
  if (ids.length === 0) return;
  await lockInvoiceFamilies(tx, await familyRoots(tx, ids));
  const plans = await inChunks(ids, (chunk) =>
    tx.adjustment.findMany({
      where: { kind: 'payment_plan', dispute: { invoiceId: { in: chunk } } },
      select: {
        id: true,
        documentNumber: true,
        createdAt: true,
        dispute: { select: { invoiceId: true } },
        installments: { orderBy: { number: 'asc' } },
      },
    }),
  );
  const withPlans = [...new Set(plans.map((p) => p.dispute.invoiceId))];
  for (const invoiceId of withPlans) {
    const [invoice, payments, posted] = await Promise.all([
      tx.invoice.findUniqueOrThrow({ where: { id: invoiceId }, select: { total: true } }),
      tx.payment.findMany({ where: { invoiceId }, select: { amount: true } }),
      postedCorrections(tx, [invoiceId]),
    ]);
    const available = paidTowardPlans(
      invoice.total,
      payments.map((p) => p.amount),
      posted,
    );
    const installments = plans
      .filter((p) => p.dispute.invoiceId === invoiceId)
      .flatMap((p) =>
        p.installments.map((i) => ({
          id: `${p.id}:${i.number}`,
          adjustmentId: p.id,
          number: i.number,
          order: [i.dueAt, p.createdAt.toISOString(), p.documentNumber, i.number] as const,
          dueAt: i.dueAt,
          amount: i.amount,
          paid: i.paid,
          status: statusOf(i.status),
        })),
      )
      .sort((a, b) => {
        for (let k = 0; k < a.order.length; k += 1) {
          const [x, y] = [a.order[k]!, b.order[k]!];
          if (x !== y) return x < y ? -1 : 1;
        }
        return 0;
      });
    const byId = new Map(installments.map((i) => [i.id, i]));
    for (const change of spread(available, installments)) {
      const row = byId.get(change.id)!;
      await tx.installment.update({
        where: { adjustmentId_number: { adjustmentId: row.adjustmentId, number: row.number } },
        data: { paid: change.paid, status: change.status },
      });
    }
  }
}

/** Every installment of a dispute's payment plans, plan by plan, with what payments settled. */
export async function installmentStatuses(db: Db, disputeId: string): Promise<InstallmentStatus[]> {
  const rows = await db.installment.findMany({
    where: { adjustment: { disputeId, kind: 'payment_plan' } },
    orderBy: [{ adjustment: { createdAt: 'asc' } }, { adjustmentId: 'asc' }, { number: 'asc' }],
  });
  return rows.map((i) => ({
    number: i.number,
    dueAt: i.dueAt,
    amount: toMoneyDto(money(i.amount, i.currency)),
    paid: toMoneyDto(money(i.paid, i.currency)),
    status: statusOf(i.status),
  }));
}

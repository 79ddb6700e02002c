// Monitoring's record of one invoice checked for a recurrence: the timeline event and, when the
// error came back, the monitoring.recurrence_found webhook event, in one transaction and once.
import type { FindingDto } from '../../domain/investigation';
import { toMoneyDto, totalDelta } from '../../domain/money';
import type { Db } from '../db';
import { isUniqueViolation } from '../errors';
import { recordWebhookEvent } from '../webhooks/events';

/** False when this invoice was recorded as checked before (a retry, or a signal and a sweep). */
export async function recordInvoiceCheck(
  db: Db,
  check: { disputeId: string; invoiceId: string; findings: readonly FindingDto[] },
  at: Date,
): Promise<boolean> {
  const key = `check:${check.disputeId}:${check.invoiceId}`;
  try {
    await db.$transaction(async (tx) => {
      await tx.disputeEvent.create({
        data: {
          disputeId: check.disputeId,
          key,
          at,
          type: 'invoice_checked',
          actor: 'system',
          data: JSON.stringify({
            invoiceId: check.invoiceId,
            recurrence: check.findings.length > 0,
            rules: check.findings.map((f) => f.rule),
            findings: check.findings,
          }),
        },
      });
      if (check.findings.length === 0) return;
      const dispute = await tx.dispute.findUniqueOrThrow({
        where: { id: check.disputeId },
        select: { customerId: true, invoiceId: true, currency: true },
      });
      await recordWebhookEvent(
        tx,
        {
          type: 'monitoring.recurrence_found',
          data: {
            disputeId: check.disputeId,
            customerId: dispute.customerId,
            invoiceId: dispute.invoiceId,
            newInvoiceId: check.invoiceId,
            findings: [...check.findings],
            totalDelta: toMoneyDto(totalDelta(check.findings, dispute.currency)),
          },
        },
        at,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
  return true;
}

// Monitoring after a correction: re-run the rules on the customer's new invoices.
import { investigateInvoice, toFindingDto, type FindingDto } from '../domain/investigation';
import { loadInvestigationInput } from '../store/billing/records';
import type { ActivityDeps } from './deps';

export interface RecurrenceCheck {
  disputeId: string;
  invoiceId: string;
  /** The rules of the dispute's own findings: a new finding under one of them is a recurrence. */
  rules: string[];
}

export interface RecurrenceResult {
  /** True when this invoice was checked before (a signal and a sweep both named it). */
  alreadyChecked: boolean;
  findings: FindingDto[];
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types
export function createMonitoringActivities({ db, clock }: ActivityDeps) {
  return {
    async checkRecurrence({
      disputeId,
      invoiceId,
      rules,
    }: RecurrenceCheck): Promise<RecurrenceResult> {
      const key = `check:${disputeId}:${invoiceId}`;
      if (await db.disputeEvent.findUnique({ where: { key }, select: { id: true } })) {
        return { alreadyChecked: true, findings: [] };
      }
      const result = investigateInvoice(await loadInvestigationInput(db, invoiceId, null));
      const findings = result.findings
        .filter((f) => rules.includes(f.rule) && f.delta.minor !== 0n)
        .map(toFindingDto);
      await db.disputeEvent.upsert({
        where: { key },
        update: {},
        create: {
          disputeId,
          key,
          at: clock(),
          type: 'invoice_checked',
          actor: 'system',
          data: JSON.stringify({
            invoiceId,
            recurrence: findings.length > 0,
            rules: findings.map((f) => f.rule),
          }),
        },
      });
      return { alreadyChecked: false, findings };
    },

    /** The customer's invoices recorded in (since, until], except the disputed one and voided ones. */
    async invoicesRecordedBetween(request: {
      customerId: string;
      excludeInvoiceId: string;
      since: string;
      until: string;
    }): Promise<string[]> {
      const rows = await db.invoice.findMany({
        where: {
          customerId: request.customerId,
          id: { not: request.excludeInvoiceId },
          voidedById: null,
          createdAt: { gt: new Date(request.since), lte: new Date(request.until) },
        },
        select: { id: true },
        orderBy: { createdAt: 'asc' },
      });
      return rows.map((r) => r.id);
    },
  };
}

// Monitoring after a correction: re-run the rules on the customer's new invoices.
import { investigateInvoice, toFindingDto, type FindingDto } from '../domain/investigation';
import { customerInvoicesRecordedBetween } from '../store/billing/lookups';
import { loadInvestigationInput } from '../store/billing/records';
import { disputeEventExists, recordDisputeEvent } from '../store/disputes/events';
import { onBillingData } from './billing-data';
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
    /** Non-retryable failures: BILLING_DATA_PROBLEMS (see billing-data.ts). */
    async checkRecurrence({
      disputeId,
      invoiceId,
      rules,
    }: RecurrenceCheck): Promise<RecurrenceResult> {
      const key = `check:${disputeId}:${invoiceId}`;
      if (await disputeEventExists(db, key)) {
        return { alreadyChecked: true, findings: [] };
      }
      const result = await onBillingData(
        { activity: 'checkRecurrence', disputeId, invoiceId },
        async () => investigateInvoice(await loadInvestigationInput(db, invoiceId, null)),
      );
      // Corrections already posted are not an error that recurred.
      const findings = result.findings
        .filter(
          (f) => f.rule !== 'already_corrected' && rules.includes(f.rule) && f.delta.minor !== 0n,
        )
        .map(toFindingDto);
      await recordDisputeEvent(db, {
        disputeId,
        key,
        at: clock(),
        type: 'invoice_checked',
        actor: 'system',
        data: {
          invoiceId,
          recurrence: findings.length > 0,
          rules: findings.map((f) => f.rule),
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
      return customerInvoicesRecordedBetween(db, {
        customerId: request.customerId,
        excludeInvoiceId: request.excludeInvoiceId,
        since: new Date(request.since),
        until: new Date(request.until),
      });
    },
  };
}

// Monitoring after a correction: re-run the rules on the customer's new invoices.
import { investigateInvoice, toFindingDto, type FindingDto } from '../domain/investigation';
import { customerInvoicesRecordedBetween } from '../store/billing/lookups';
import { loadInvestigationInput } from '../store/billing/records';
import { disputeEventData } from '../store/disputes/events';
import { recordInvoiceCheck } from '../store/disputes/invoice-check';
import { onBillingData } from './billing-data';
import type { ActivityDeps } from './deps';

export interface RecurrenceCheck {
  disputeId: string;
  invoiceId: string;
  /** The rules of the dispute's own findings: a new finding under one of them is a recurrence. */
  rules: string[];
}

export interface RecurrenceResult {
  findings: FindingDto[];
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types
export function createMonitoringActivities({ db, clock }: Pick<ActivityDeps, 'db' | 'clock'>) {
  return {
    /** Non-retryable failures: BILLING_DATA_PROBLEMS (see billing-data.ts). */
    async checkRecurrence({
      disputeId,
      invoiceId,
      rules,
    }: RecurrenceCheck): Promise<RecurrenceResult> {
      // The check's findings are stored with its mark, and every attempt answers with the stored
      // ones: a retry after a crash between the write and the answer loses no recurrence.
      const key = `check:${disputeId}:${invoiceId}`;
      const earlier = await disputeEventData(db, key);
      if (earlier) return { findings: (earlier.findings as FindingDto[] | undefined) ?? [] };
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
      // With the recurrence_found webhook event in the same transaction, written once.
      await recordInvoiceCheck(db, { disputeId, invoiceId, findings }, clock());
      const stored = await disputeEventData(db, key);
      return { findings: (stored?.findings as FindingDto[] | undefined) ?? findings };
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

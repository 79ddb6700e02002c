// The proactive scan's activities: run the rules over a page of recently recorded invoices, and
// open an internal review dispute for one that differs by more than the policy allows.
import { Context } from '@temporalio/activity';
import { SYSTEM_ACTOR, type DisputeInput } from '../domain/dispute';
import { DomainError } from '../domain/errors';
import { parseDecimal, pow10 } from '../domain/decimal';
import { investigateInvoice, InvestigationInputError } from '../domain/investigation';
import {
  absMinor,
  formatAmount,
  fromMoneyDto,
  minorUnitExponent,
  toMoneyDto,
  type Money,
  type MoneyDto,
} from '../domain/money';
import type { Policy } from '../domain/policy';
import { invoicesRecordedPage } from '../store/billing/lookups';
import { loadInvestigationInput } from '../store/billing/records';
import { findDisputeRef } from '../store/disputes/find';
import { derivedDisputeId, disputeWorkflowInput, recordDispute } from '../store/disputes/open';
import type { ActivityDeps } from './deps';

export const SCAN_ACTOR = `${SYSTEM_ACTOR}:proactive-scan`;

/** Keyset position in (createdAt, id) order. */
export interface ScanCursor {
  createdAt: string;
  id: string;
}

export interface ScanPageRequest {
  /** Invoices recorded in [since, until), ISO 8601 instants. */
  since: string;
  until: string;
  /** The policy's scanThreshold: flag an invoice whose |totalDelta| is above it (invoice currency). */
  threshold: string;
  after: ScanCursor | null;
  limit: number;
}

export interface FlaggedInvoice {
  invoiceId: string;
  customerId: string;
  totalDelta: MoneyDto;
  findings: number;
}

export interface ScanPage {
  scanned: number;
  flagged: FlaggedInvoice[];
  skipped: { invoiceId: string; error: string }[];
  /** Where the next page starts, or null when this was the last. */
  next: ScanCursor | null;
}

export interface ReviewRequest extends FlaggedInvoice {
  policy: Policy;
  scanWorkflowId: string;
}

export type ReviewDispute =
  | {
      /** `created` by this call, or found from an earlier attempt or run (`exists`). */
      status: 'created' | 'exists';
      disputeId: string;
      workflowId: string;
      /** The workflow input to start it with; null once the dispute is closed. */
      input: DisputeInput | null;
    }
  /** A dispute someone else opened on the invoice is still open: it covers the invoice. */
  | { status: 'other_open'; disputeId: string }
  /** The records no longer allow a dispute on this invoice (it vanished or changed customer). */
  | { status: 'rejected'; error: string };

/** |delta| > threshold, exactly: the threshold may have more decimals than the currency. */
export function exceedsThreshold(delta: Money, threshold: string): boolean {
  const limit = parseDecimal(threshold);
  const magnitude = absMinor(delta.minor);
  return (
    magnitude * pow10(limit.scale) > limit.coefficient * pow10(minorUnitExponent(delta.currency))
  );
}

/** The one review dispute an invoice can get from the scan: its id follows from the invoice. */
export const reviewDisputeId = (invoiceId: string): string =>
  derivedDisputeId(`proactive-scan:${invoiceId}`);

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types
export function createScanActivities({ db, clock }: ActivityDeps) {
  async function existingReview(disputeId: string, policy: Policy): Promise<ReviewDispute | null> {
    const row = await findDisputeRef(db, disputeId);
    if (!row) return null;
    const input = row.phase === 'closed' ? null : await disputeWorkflowInput(db, disputeId, policy);
    return { status: 'exists', disputeId, workflowId: row.workflowId, input };
  }

  return {
    async scanInvoices(request: ScanPageRequest): Promise<ScanPage> {
      const { after } = request;
      const rows = await invoicesRecordedPage(db, {
        since: new Date(request.since),
        until: new Date(request.until),
        after: after ? { createdAt: new Date(after.createdAt), id: after.id } : null,
        limit: request.limit,
      });
      const page: ScanPage = { scanned: rows.length, flagged: [], skipped: [], next: null };
      for (const row of rows) {
        Context.current().heartbeat(row.id);
        try {
          const result = investigateInvoice(await loadInvestigationInput(db, row.id, null));
          if (exceedsThreshold(result.totalDelta, request.threshold)) {
            page.flagged.push({
              invoiceId: row.id,
              customerId: row.customerId,
              totalDelta: toMoneyDto(result.totalDelta),
              findings: result.findings.length,
            });
          }
        } catch (error) {
          // One invoice whose records do not fit together must not stop the scan of the others.
          if (!(error instanceof InvestigationInputError)) throw error;
          page.skipped.push({ invoiceId: row.id, error: error.message });
        }
      }
      const last = rows.at(-1);
      if (last && rows.length === request.limit)
        page.next = { createdAt: last.createdAt.toISOString(), id: last.id };
      return page;
    },

    async openReviewDispute(request: ReviewRequest): Promise<ReviewDispute> {
      const id = reviewDisputeId(request.invoiceId);
      const earlier = await existingReview(id, request.policy);
      if (earlier) return earlier;
      const delta = fromMoneyDto(request.totalDelta);
      const contact = request.policy.contacts[0]!;
      let recorded;
      try {
        recorded = await recordDispute(
          db,
          {
            id,
            actor: SCAN_ACTOR,
            internal: true,
            body: {
              customerId: request.customerId,
              invoiceId: request.invoiceId,
              reason: 'other',
              description:
                `Proactive scan (${request.scanWorkflowId}): the billing rules find ${request.findings} ` +
                `discrepancies on this invoice, ${formatAmount(delta)} ${delta.currency} in total (billed minus owed). ` +
                'Review it before the customer finds it.',
              contact: { name: contact.name, email: contact.email },
            },
          },
          clock(),
        );
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'unprocessable')
          return { status: 'rejected', error: error.message };
        // A concurrent run wrote the same review dispute first.
        const raced = await existingReview(id, request.policy);
        if (raced) return raced;
        throw error;
      }
      if (recorded.outcome === 'open') return { status: 'other_open', disputeId: recorded.id };
      return {
        status: 'created',
        disputeId: id,
        workflowId: recorded.workflowId,
        input: await disputeWorkflowInput(db, id, request.policy),
      };
    },
  };
}

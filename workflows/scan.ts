// The proactive scan: runs the investigation rules over invoices recorded since the last scan and
// opens an internal review dispute for each whose money delta exceeds the policy's threshold —
// errors found before the customer finds them. Started daily by the schedule of
// workers/scan-schedule.ts, or directly with an explicit `since`.
//
// The watermark is this workflow's result: a scheduled run reads the previous run's `until` from
// `workflowInfo().lastResult`. Each window starts a margin before that, so an import that
// committed late or a clock skew loses nothing; rescanning is harmless because an invoice's review
// dispute has a fixed id (see activities/scan.ts). A missed run is caught up by the next one.
// Patch ids in use (`patched()`): none yet.
import {
  continueAsNew,
  log,
  ParentClosePolicy,
  proxyActivities,
  startChild,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createActivities } from '../activities';
import type { FlaggedInvoice, ScanCursor } from '../activities/scan';
import type { Policy } from '../domain/policy';
import type { disputeWorkflow } from './dispute';

type Activities = ReturnType<typeof createActivities>;

/** A page of invoices investigated per activity: short enough to retry, long enough to be cheap. */
const PAGE_SIZE = 200;
/** Longer than an import transaction may stay open (2 min), plus clock skew between hosts. */
const OVERLAP_MS = 15 * 60 * 1000;
const HOUR_MS = 3600 * 1000;

const scanning = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const opening = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface ScanInput {
  policy: Policy;
  /** Scan invoices recorded from this instant on (ISO 8601); by default where the last run stopped. */
  since?: string;
  /** How far back a first run looks when no earlier run left a watermark. */
  firstRunLookbackHours?: number;
  /** Carried over continue-as-new; never set by a caller. */
  progress?: ScanProgress;
}

export interface ScanResult {
  since: string;
  /** The watermark: the next run scans from here (minus the overlap). */
  until: string;
  scanned: number;
  flagged: number;
  /** Review disputes this run opened. */
  opened: string[];
  /** Invoices the rules could not run on (records that do not fit together), with the reason. */
  skipped: { invoiceId: string; error: string }[];
}

interface ScanProgress extends ScanResult {
  cursor: ScanCursor | null;
}

function startingPoint(input: ScanInput, now: number): string {
  if (input.since !== undefined) return input.since;
  const last = workflowInfo().lastResult as ScanResult | undefined;
  if (last?.until) return new Date(Date.parse(last.until) - OVERLAP_MS).toISOString();
  return new Date(now - (input.firstRunLookbackHours ?? 24) * HOUR_MS).toISOString();
}

/** Opens the invoice's review dispute (once) and starts its workflow as an abandoned child. */
async function openReview(
  policy: Policy,
  hit: FlaggedInvoice,
  progress: ScanProgress,
): Promise<void> {
  const review = await opening.openReviewDispute({
    ...hit,
    policy,
    scanWorkflowId: workflowInfo().workflowId,
  });
  if (review.status === 'rejected') {
    progress.skipped.push({ invoiceId: hit.invoiceId, error: review.error });
    return;
  }
  if (review.status === 'other_open') {
    log.info('invoice already has an open dispute of reason other', {
      invoiceId: hit.invoiceId,
      disputeId: review.disputeId,
    });
    return;
  }
  if (review.status === 'created') progress.opened.push(review.disputeId);
  if (review.input === null) return;
  try {
    await startChild<typeof disputeWorkflow>('disputeWorkflow', {
      workflowId: review.workflowId,
      args: [review.input],
      // The dispute outlives the scan by weeks; a rerun must never start a second run of it.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (error) {
    // Started by an earlier attempt or run: the dispute is already under way.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export async function proactiveScanWorkflow(input: ScanInput): Promise<ScanResult> {
  const now = Date.now();
  const progress: ScanProgress = input.progress ?? {
    since: startingPoint(input, now),
    until: new Date(now).toISOString(),
    scanned: 0,
    flagged: 0,
    opened: [],
    skipped: [],
    cursor: null,
  };
  for (;;) {
    const page = await scanning.scanInvoices({
      since: progress.since,
      until: progress.until,
      threshold: input.policy.scanThreshold,
      after: progress.cursor,
      limit: PAGE_SIZE,
    });
    progress.scanned += page.scanned;
    progress.flagged += page.flagged.length;
    progress.skipped.push(...page.skipped);
    for (const hit of page.flagged) await openReview(input.policy, hit, progress);
    progress.cursor = page.next;
    if (progress.cursor === null) break;
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof proactiveScanWorkflow>({ ...input, progress });
    }
  }
  const { cursor: _cursor, ...result } = progress;
  log.info('proactive scan done', {
    ...result,
    opened: result.opened.length,
    skipped: result.skipped.length,
  });
  return result;
}

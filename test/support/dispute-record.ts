// What one dispute's fake activities recorded, and a summary of it in words a test compares.
import type { Posting, Projection, QueuedEmail, Reversal, TimelineEvent } from './fake-activities';

/** What one dispute's activities recorded: compare two of them to see what an action did. */
export interface DisputeRecord {
  events: TimelineEvent[];
  emails: QueuedEmail[];
  postings: Posting[];
  reversals: Reversal[];
  projections: Projection[];
}

/**
 * A record in words a test can compare: event types (a phase change with its target), emails as
 * `kind → address`, the kinds of the corrections posted (a reversal as `reversal of <kind>`).
 */
export interface RecordSummary {
  events: string[];
  emails: string[];
  postings: string[];
}

export function summarize(record: DisputeRecord): RecordSummary {
  return {
    events: record.events.map((e) =>
      e.type === 'phase_changed' ? `phase_changed→${String(e.data?.to)}` : e.type,
    ),
    emails: record.emails.map((e) => `${e.kind} → ${e.to.email}`),
    postings: [
      ...record.postings.map((p) => p.request.kind),
      ...record.reversals.flatMap((r) =>
        r.adjustments.map((a) => `reversal of ${String(a.details.reversedKind)}`),
      ),
    ],
  };
}

/**
 * The summary with its events and emails sorted: for actions whose handler and the workflow's
 * main line record side by side (accepting an offer starts the correction beside the handler).
 */
export function inAnyOrder(summary: RecordSummary): RecordSummary {
  return { ...summary, events: [...summary.events].sort(), emails: [...summary.emails].sort() };
}

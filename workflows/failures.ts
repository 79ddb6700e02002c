// Business failures of activities: the ones no retry can fix, which the activity marks
// non-retryable (a missing record, bad billing data, a refused correction, an address no mail
// server accepts). A dispute records them and goes on; it never ends Failed because of one.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

export interface BusinessFailure {
  /** The ApplicationFailure type, e.g. MissingRecord, InvalidCorrection, InvalidRecipient. */
  type: string;
  message: string;
}

/** The business failure behind an activity's error, or null for anything else (rethrow it). */
export function businessFailure(error: unknown): BusinessFailure | null {
  // A local activity's failure arrives as the activity threw it, without the ActivityFailure
  // around it that the server adds to a remote activity's.
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (!(cause instanceof ApplicationFailure) || !cause.nonRetryable) return null;
  return { type: cause.type ?? 'ApplicationFailure', message: cause.message };
}

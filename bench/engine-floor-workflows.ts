// The engine-floor benchmark's workflows: Temporal's own work with none of Settle's. Deterministic,
// like workflows/: only the workflow SDK is imported.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

/** A function that does nothing, as an activity. */
export interface FloorActivities {
  noop(): Promise<void>;
}

const timeouts = {
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
} as const;
const local = proxyLocalActivities<FloorActivities>(timeouts);
const remote = proxyActivities<FloorActivities>(timeouts);

/** Starts and completes in one workflow task. */
export async function emptyWorkflow(): Promise<void> {}

/**
 * The least a dispute does before its acknowledgement reaches the customer: three short database
 * writes as local activities (timeline event, projection, queued email), then the delivery as an
 * activity of its own.
 */
export async function intakeShapedWorkflow(): Promise<void> {
  await local.noop();
  await local.noop();
  await local.noop();
  await remote.noop();
}

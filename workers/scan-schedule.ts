// The proactive scan's Temporal Schedule, created or brought up to date at worker start-up.
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Policy } from '../domain/policy';
import type { proactiveScanWorkflow } from '../workflows/scan';

export const SCAN_SCHEDULE_ID = 'settle-proactive-scan';

/** Daily at 02:00 UTC, when few imports run. */
export const DAILY_SCAN: ScheduleSpec = { calendars: [{ hour: 2, minute: 0 }] };

export interface ScanScheduleOptions {
  taskQueue: string;
  /** Captured into each run's input, as a dispute captures it at opening. */
  policy: Policy;
  spec?: ScheduleSpec;
  scheduleId?: string;
}

/**
 * Creates the schedule, or updates its spec, action and policies when it exists: safe at every
 * start-up of every worker. An operator's pause or note is kept.
 */
export async function upsertScanSchedule(
  client: Client,
  options: ScanScheduleOptions,
): Promise<void> {
  const scheduleId = options.scheduleId ?? SCAN_SCHEDULE_ID;
  const action: ScheduleOptionsStartWorkflowAction<typeof proactiveScanWorkflow> = {
    type: 'startWorkflow',
    workflowType: 'proactiveScanWorkflow',
    workflowId: scheduleId,
    taskQueue: options.taskQueue,
    args: [{ policy: options.policy }],
  };
  const spec = options.spec ?? DAILY_SCAN;
  // Runs never overlap; after an outage one catch-up run suffices, since each scans from the last watermark.
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' } as const;
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies,
      state: { note: 'Settle proactive billing scan: opens internal review disputes' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule
      .getHandle(scheduleId)
      .update<typeof proactiveScanWorkflow>((previous) => ({
        spec,
        action,
        policies,
        state: previous.state,
      }));
  }
}

// Starting a dispute's workflow `dispute-<id>` from its recorded row, with the policy in force
// captured into its input. POST /v1/disputes (api/disputes/open.ts) and the worker's intake
// reconciler (workers/intake-reconciler.ts) start disputes only through here, under one id policy:
// a dispute's workflow runs once, ever. A workflow that ended — completed, or Failed or
// Terminated — is never run again from acknowledgement under today's policy; a start that finds
// the id taken, running or closed, answers `exists` and the caller reads the dispute as it is.
import type { Client } from '@temporalio/client';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/common';
import { workflowIdOf, type DisputeInput } from '../domain/dispute';
import type { Policy } from '../domain/policy';
import type { Db } from '../store/db';
import { disputeWorkflowInput } from '../store/disputes/open';
import type { disputeWorkflow } from '../workflows/dispute';

export interface DisputeStartDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** Captured into the input: the policy the dispute runs under for its whole life. */
  policy: Policy;
}

/** `started`: this call started the run; `exists`: a run of this id is running or has closed. */
export type DisputeStart = 'started' | 'exists';

/** The id policies of every dispute start (and of the proactive scan's child starts). */
export const DISPUTE_ID_POLICIES = {
  // A closed run is never followed by a second one, whatever its ending.
  workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  // A running one is not joined either: the caller learns it exists and reads the dispute.
  workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
} as const;

/** Starts the workflow with a prepared input (the reconciler builds it first, to tell its errors apart). */
export async function startDisputeWorkflowWith(
  deps: Pick<DisputeStartDeps, 'temporal' | 'taskQueue'>,
  input: DisputeInput,
): Promise<DisputeStart> {
  try {
    await deps.temporal.workflow.start<typeof disputeWorkflow>('disputeWorkflow', {
      workflowId: workflowIdOf(input.disputeId),
      taskQueue: deps.taskQueue,
      args: [input],
      ...DISPUTE_ID_POLICIES,
    });
    return 'started';
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'exists';
    throw error;
  }
}

/** Starts the recorded dispute's workflow unless a run of it exists: safe to call again. */
export async function startDisputeWorkflow(
  deps: DisputeStartDeps,
  disputeId: string,
): Promise<DisputeStart> {
  const input = await disputeWorkflowInput(deps.db, disputeId, deps.policy);
  return startDisputeWorkflowWith(deps, input);
}

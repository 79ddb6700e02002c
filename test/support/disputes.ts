// Helpers for lifecycle tests: open a dispute through the API, steer it through its updates,
// and wait for what the workflow persisted.
import type { WorkflowHandle } from '@temporalio/client';
import { msToNumber, type Duration } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Phase, Reason } from '../../domain/dispute';
import { disputeQuery, withdrawUpdate } from '../../workflows/messages';
import type { DisputeView } from '../../workflows/state';
import type { Stack } from './stack';
import { waitFor } from './temporal';
import { sampleBundle } from './sample-data';

export const CUSTOMER_OF: Record<string, string> = {
  'INV-1001': 'C-100',
  'INV-1002': 'C-100',
  'INV-2001': 'C-200',
  'INV-2002': 'C-200',
  'INV-3001': 'C-300',
  'INV-3002': 'C-300',
  'INV-4001': 'C-400',
};

export async function importSample(stack: Stack): Promise<void> {
  const response = await stack.call('POST', '/v1/import', {
    role: 'operations',
    body: sampleBundle(),
  });
  if (response.status !== 200) throw new Error(`import failed: ${JSON.stringify(response.body)}`);
}

export interface OpenedDispute {
  id: string;
  handle: WorkflowHandle;
}

export async function openDispute(
  stack: Stack,
  invoiceId: string,
  reason: Reason,
  contactEmail = 'dana@example.com',
): Promise<OpenedDispute> {
  const response = await stack.call('POST', '/v1/disputes', {
    role: 'agent',
    body: {
      customerId: CUSTOMER_OF[invoiceId],
      invoiceId,
      reason,
      description: `Dispute about ${invoiceId}`,
      contact: { name: 'Dana Lee', email: contactEmail },
    },
  });
  if (response.status !== 201) throw new Error(`open failed: ${JSON.stringify(response.body)}`);
  const id: string = response.body.id;
  return { id, handle: stack.env.client.workflow.getHandle(`dispute-${id}`) };
}

/** Waits until the workflow reports `phase` (its query) and the read model shows it too. */
export async function waitForPhase(
  stack: Stack,
  dispute: OpenedDispute,
  phase: Phase,
): Promise<DisputeView> {
  return waitFor(
    async () => {
      const view = await dispute.handle.query(disputeQuery);
      if (view.phase !== phase) return undefined;
      const row = await stack.database.db.dispute.findUnique({ where: { id: dispute.id } });
      return row?.phase === phase ? view : undefined;
    },
    { what: `dispute ${dispute.id} to reach ${phase}`, timeoutMs: 30_000, intervalMs: 100 },
  );
}

export async function timelineTypes(stack: Stack, id: string): Promise<string[]> {
  const events = await stack.database.db.disputeEvent.findMany({
    where: { disputeId: id },
    orderBy: { id: 'asc' },
  });
  return events.map((e) => e.type);
}

/** Emails of one dispute that reached the SMTP server, by message kind in the subject order. */
export function mailsOf(
  stack: Stack,
  id: string,
): { to: readonly string[]; subject: string; text: string; messageId: string | null }[] {
  return stack.catcher.messages().filter((m) => m.subject.includes(id));
}

async function quiescent(dispute: OpenedDispute): Promise<void> {
  await waitFor(
    async () => {
      const { raw, status } = await dispute.handle.describe();
      // A run that continued as new is followed by the next, which the handle finds once it runs.
      if (status.name === 'CONTINUED_AS_NEW') return false;
      return status.name !== 'RUNNING' || (raw.pendingActivities ?? []).length === 0;
    },
    {
      what: `dispute ${dispute.id} to have no activity in flight`,
      timeoutMs: 60_000,
      intervalMs: 100,
    },
  );
}

const SKIP_STEP_MS = 24 * 3600 * 1000;

/**
 * Skips time a day at a time, each once the dispute's activities are done: an activity
 * still running when the clock jumps past its timeout is timed out in server time and retried,
 * again and again on a loaded machine.
 */
export async function skipTime(
  env: TestWorkflowEnvironment,
  dispute: OpenedDispute,
  duration: Duration,
): Promise<void> {
  for (let left = msToNumber(duration); left > 0; left -= SKIP_STEP_MS) {
    await quiescent(dispute);
    await env.sleep(Math.min(left, SKIP_STEP_MS));
  }
  await quiescent(dispute);
}

/**
 * Closes a dispute by withdrawing it (unless it is closed already) and waits until it is quiet.
 * Time-skipping tests never terminate a dispute: a workflow task in flight when its workflow is
 * terminated leaves the test server's clock locked for good.
 */
export async function retireDispute(dispute: OpenedDispute): Promise<void> {
  await waitFor(
    async () => {
      const { phase } = await dispute.handle.query(disputeQuery);
      if (phase === 'closed') return true;
      if (phase === 'correcting') return undefined;
      return dispute.handle
        .executeUpdate(withdrawUpdate, { args: [{ reason: 'test finished', actor: 'test' }] })
        .then(
          () => true,
          () => undefined,
        );
    },
    { what: `dispute ${dispute.id} to close`, timeoutMs: 60_000, intervalMs: 100 },
  );
  await quiescent(dispute);
}

/**
 * Terminates a dispute once none of its activities is in flight. The time-skipping server keeps
 * time locked for an activity whose workflow vanished under it, so terminating mid-activity
 * would stall every later test's clock until that activity's timeout.
 */
export async function terminateQuietly(dispute: OpenedDispute): Promise<void> {
  await quiescent(dispute);
  await dispute.handle.terminate('test finished').catch(() => undefined);
}

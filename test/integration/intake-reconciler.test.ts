// Issue 13, item 10: a dispute recorded whose workflow never started is started by the worker's
// reconciler; one whose workflow ended before acknowledging it is marked intake_failed and frees
// its invoice. Real dev server, SQLite and SMTP.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDisputeWorkflow } from '../../activities/dispute-start';
import { openDisputeBody } from '../../api/disputes/schemas';
import { DEFAULT_POLICY } from '../../domain/policy';
import { recordDispute } from '../../store/disputes/open';
import { reconcileIntakes } from '../../workers/intake-reconciler';
import { customerBundle, disputeBody, waitForPhase } from '../support/api-fixtures';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv } from '../support/temporal';

const CUSTOMER = 'C-INTAKE';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let env: TestWorkflowEnvironment;
let stack: Stack;

beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startStack(env, 'sqlite');
  const imported = await stack.call('POST', '/v1/import', {
    role: 'operations',
    body: customerBundle(CUSTOMER, [
      { id: 'I-NEVER', billed: '700.00' },
      { id: 'I-ENDED', billed: '700.00' },
    ]),
  });
  expect(imported.status).toBe(200);
});
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
});

/** A dispute row as POST /v1/disputes writes it before starting the workflow, a while ago. */
async function recorded(invoiceId: string): Promise<{ id: string; workflowId: string }> {
  const body = openDisputeBody.parse(disputeBody(CUSTOMER, invoiceId));
  const result = await recordDispute(
    stack.database.db,
    { body, actor: 'agent:dana', internal: false },
    new Date(Date.now() - 10 * 60_000),
  );
  if (result.outcome !== 'created') throw new Error(`not created: ${result.outcome}`);
  return result;
}

const reconcile = (): ReturnType<typeof reconcileIntakes> =>
  reconcileIntakes({
    db: stack.database.db,
    temporal: env.client,
    taskQueue: stack.taskQueue,
    policy: DEFAULT_POLICY,
    log: quiet,
  });

describe('the intake reconciler', () => {
  it('starts the workflow of a dispute recorded without one, once', async () => {
    const dispute = await recorded('I-NEVER');
    const first = await reconcile();
    expect(first.started).toContain(dispute.id);
    await waitForPhase(stack, dispute.id, 'awaiting_decision');
    const again = await reconcile();
    expect(again.started).not.toContain(dispute.id);
    expect(again.failed).not.toContain(dispute.id);
  });

  it('marks a dispute whose workflow ended before acknowledging it, and frees its invoice', async () => {
    const dispute = await recorded('I-ENDED');
    // Started where no worker polls, then terminated: it never acknowledged the dispute.
    await startDisputeWorkflow(
      {
        db: stack.database.db,
        temporal: env.client,
        taskQueue: 'nobody-polls-this',
        policy: DEFAULT_POLICY,
      },
      dispute.id,
    );
    await env.client.workflow.getHandle(dispute.workflowId).terminate('operator');

    const report = await reconcile();
    expect(report.failed).toEqual([dispute.id]);
    expect((await reconcile()).failed).toEqual([]);
    const got = (await stack.call('GET', `/v1/disputes/${dispute.id}`)).body;
    expect(got.timeline.find((e: any) => e.type === 'intake_failed')).toMatchObject({
      data: { workflowStatus: 'TERMINATED' },
    });
    // A retried open with no key finds no open dispute on the invoice: a new one opens.
    const reopened = await stack.call('POST', '/v1/disputes', {
      role: 'agent',
      body: disputeBody(CUSTOMER, 'I-ENDED'),
    });
    expect(reopened.status).toBe(201);
    expect(reopened.body.id).not.toBe(dispute.id);
  });
});

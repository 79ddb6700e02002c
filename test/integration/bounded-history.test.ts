// History stays small whatever people do: a dispute that collects notes while it waits continues
// as new, every run stays under the bound, note bodies stay out of the history, and the dispute
// still works afterwards. Real dev server, worker, database and API.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../domain/policy';
import { HISTORY_EVENTS_PER_RUN } from '../../workflows/context';
import { customerBundle, openInPhase } from '../support/api-fixtures';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv } from '../support/temporal';

const CUSTOMER = 'C-NOTES';
/** Far more notes than one run holds: the test stops adding once the dispute continued as new. */
const MAX_NOTES = 600;
/** What one action adds to a run after the check that continues it as new. */
const ONE_ACTION_OF_EVENTS = 40;

let env: TestWorkflowEnvironment;
let stack: Stack;

beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startStack(env, 'sqlite', DEFAULT_POLICY);
  const imported = await stack.call('POST', '/v1/import', {
    role: 'operations',
    body: customerBundle(CUSTOMER, [{ id: 'NOTES-1', billed: '700.00' }]),
  });
  expect(imported.status).toBe(200);
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
});

describe('a dispute that collects many notes', { timeout: 600_000 }, () => {
  it('continues as new, keeps every run under the bound and the bodies out of history', async () => {
    const dispute = await openInPhase(stack, CUSTOMER, 'NOTES-1', 'awaiting_decision');
    const body =
      'Called the customer about the switches; they will send the delivery note. '.repeat(100);
    const handle = env.client.workflow.getHandle(`dispute-${dispute.id}`);
    const firstRun = (await handle.describe()).runId;
    let notes = 0;
    while (notes < MAX_NOTES && (await handle.describe()).runId === firstRun) {
      notes += 1;
      const added = await stack.call('POST', `/v1/disputes/${dispute.id}/notes`, {
        role: 'agent',
        body: { text: `${notes}: ${body}`.slice(0, 10_000) },
      });
      expect(added.status).toBe(200);
    }
    expect(notes).toBeLessThan(MAX_NOTES);

    const runs = [];
    for await (const run of env.client.workflow.list({
      query: `WorkflowId = "dispute-${dispute.id}"`,
    }))
      runs.push(run);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const run of runs) {
      const history = await env.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      const events = history.events ?? [];
      expect(events.length).toBeLessThanOrEqual(HISTORY_EVENTS_PER_RUN + ONE_ACTION_OF_EVENTS);
      // Not one note body in any run's history: the timeline names notes by id.
      expect(JSON.stringify(history)).not.toContain('delivery note');
    }

    // The dispute still works after continuing as new, with every note on its timeline.
    const escalated = await stack.call('POST', `/v1/disputes/${dispute.id}/escalate`, {
      role: 'agent',
      body: { reason: 'Still waiting' },
    });
    expect(escalated.status).toBe(200);
    expect(escalated.body.escalationLevel).toBe(1);
    const onTimeline = escalated.body.timeline.filter((e: any) => e.type === 'note');
    expect(onTimeline).toHaveLength(notes);
    expect(onTimeline[notes - 1].data.text).toMatch(new RegExp(`^${notes}: Called the customer`));
  });
});

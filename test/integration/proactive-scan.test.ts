// The proactive scan on the Temporal dev server with the real worker, SQLite and SMTP on loopback:
// review disputes for exactly the invoices above the threshold, no customer email, nothing new on
// a second run, and the schedule the worker start-up creates, whose runs carry the watermark on.
import { ScheduleOverlapPolicy } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewDisputeId, SCAN_ACTOR } from '../../activities/scan';
import { compareDecimal, parseDecimal } from '../../domain/decimal';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import { SCAN_SCHEDULE_ID, upsertScanSchedule } from '../../workers/scan-schedule';
import type { proactiveScanWorkflow, ScanResult } from '../../workflows/scan';
import { importSample } from '../support/disputes';
import { recordHistoryIfRequested, replayHistoriesDir } from '../support/replay';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv, uniqueWorkflowId, waitFor } from '../support/temporal';
import { sampleBundle, sampleExpected } from '../support/sample-data';

// INV-1002 differs by exactly -19.48: at the threshold, not above it.
const policy: Policy = { ...DEFAULT_POLICY, scanThreshold: '19.48' };
const threshold = parseDecimal(policy.scanThreshold);
const aboveThreshold = Object.entries(sampleExpected)
  .filter(([, e]) => compareDecimal(parseDecimal(e.totalDelta.replace('-', '')), threshold) > 0)
  .map(([invoiceId]) => invoiceId)
  .sort();
const customerEmails = (sampleBundle() as { customers: { email: string }[] }).customers.map(
  (c) => c.email,
);

let env: TestWorkflowEnvironment;
let stack: Stack;
beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startStack(env, 'sqlite', policy);
  await importSample(stack);
});
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
});

/** Runs the scan workflow directly; its history feeds the replay tests (RECORD_HISTORIES=1). */
async function runScan(historyName: string): Promise<{ workflowId: string; result: ScanResult }> {
  const workflowId = uniqueWorkflowId('scan');
  const result = await env.client.workflow.execute<typeof proactiveScanWorkflow>(
    'proactiveScanWorkflow',
    { taskQueue: stack.taskQueue, workflowId, args: [{ policy }] },
  );
  await recordHistoryIfRequested(
    env.client.workflow.getHandle(workflowId),
    replayHistoriesDir,
    historyName,
  );
  return { workflowId, result };
}

async function reviewDisputes(): Promise<{ id: string; invoiceId: string }[]> {
  return stack.database.db.dispute.findMany({
    where: { reason: 'other' },
    orderBy: { invoiceId: 'asc' },
    select: { id: true, invoiceId: true },
  });
}

describe('proactive scan', () => {
  it('expects the sample to have invoices on both sides of the threshold', () => {
    expect(aboveThreshold).toEqual(['INV-2001', 'INV-2002', 'INV-3002', 'INV-4001']);
  });

  it('opens an internal review dispute for exactly the invoices above the threshold, emailing no customer', async () => {
    const { workflowId, result } = await runScan('proactive-scan-opens-reviews');
    expect(result).toMatchObject({ scanned: 7, flagged: aboveThreshold.length, skipped: [] });
    expect(result.opened.sort()).toEqual(aboveThreshold.map(reviewDisputeId).sort());

    const rows = await stack.database.db.dispute.findMany({
      where: { reason: 'other' },
      orderBy: { invoiceId: 'asc' },
    });
    expect(rows.map((r) => r.invoiceId)).toEqual(aboveThreshold);
    for (const row of rows) {
      expect(row).toMatchObject({
        id: reviewDisputeId(row.invoiceId),
        workflowId: `dispute-${row.id}`,
        internal: true,
        openedBy: SCAN_ACTOR,
        contactEmail: policy.contacts[0]!.email,
      });
      // A child of the scan that outlives it.
      const description = await env.client.workflow.getHandle(row.workflowId).describe();
      expect(description.parentExecution?.workflowId).toBe(workflowId);
      expect(description.status.name).toBe('RUNNING');
    }

    // Past acknowledgement and investigation, with every queued email delivered: none to a customer.
    for (const row of rows) {
      const dispute = await waitFor(
        async () => {
          const got = await stack.call('GET', `/v1/disputes/${row.id}`, { role: 'auditor' });
          const types: string[] = got.body.timeline.map((e: { type: string }) => e.type);
          return types.includes('acknowledged') && got.body.verdict !== null && got.body;
        },
        { what: `review dispute ${row.id} investigated`, timeoutMs: 30_000, intervalMs: 100 },
      );
      expect(dispute.verdict).toBe(sampleExpected[row.invoiceId]!.verdict);
      expect(dispute.findings.length).toBeGreaterThan(0);
    }
    const outbox = await waitFor(
      async () => {
        const messages = await stack.database.db.outboxMessage.findMany({
          where: { disputeId: { in: rows.map((r) => r.id) } },
        });
        return messages.every((m) => m.status !== 'pending') && messages;
      },
      { what: 'queued emails delivered', timeoutMs: 30_000, intervalMs: 100 },
    );
    for (const message of outbox) expect(customerEmails).not.toContain(message.toAddress);
    const caught = stack.catcher.messages().flatMap((m) => m.envelope.to);
    for (const email of customerEmails) expect(caught).not.toContain(email);
  });

  it('opens nothing new when it runs again over the same invoices', async () => {
    const before = await reviewDisputes();
    const { result } = await runScan('proactive-scan-opens-nothing-new');
    expect(result).toMatchObject({ scanned: 7, flagged: aboveThreshold.length, opened: [] });
    expect(await reviewDisputes()).toEqual(before);
  });
});

describe('the scan schedule', () => {
  it('exists after the worker start-up code runs, also when that runs again with a new policy', async () => {
    await upsertScanSchedule(env.client, { taskQueue: stack.taskQueue, policy });
    const updated: Policy = { ...policy, scanThreshold: '25.00' };
    await upsertScanSchedule(env.client, { taskQueue: stack.taskQueue, policy: updated });

    const handle = env.client.schedule.getHandle(SCAN_SCHEDULE_ID);
    const schedule = await handle.describe();
    expect(schedule.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'proactiveScanWorkflow',
      taskQueue: stack.taskQueue,
      args: [{ policy: updated }],
    });
    expect(schedule.spec.calendars).toEqual([
      expect.objectContaining({
        hour: [{ start: 2, end: 2, step: 1 }],
        minute: [{ start: 0, end: 0, step: 1 }],
      }),
    ]);
    expect(schedule.policies.overlap).toBe('SKIP');
  });

  it('starts each run where the previous one stopped, opening nothing twice', async () => {
    const handle = env.client.schedule.getHandle(SCAN_SCHEDULE_ID);
    const results: ScanResult[] = [];
    for (let run = 1; run <= 2; run += 1) {
      // As the schedule's own runs: an ALLOW_ALL run (the trigger default) gets no previous result.
      await handle.trigger(ScheduleOverlapPolicy.SKIP);
      const action = await waitFor(
        async () => (await handle.describe()).info.recentActions[run - 1],
        { what: `scheduled run ${run}`, timeoutMs: 30_000, intervalMs: 100 },
      );
      results.push(await env.client.workflow.getHandle(action.action.workflow.workflowId).result());
      // The schedule hands a run's result to the next once it has seen the run complete.
      await waitFor(async () => (await handle.describe()).info.runningActions.length === 0, {
        what: `the schedule to see run ${run} complete`,
        timeoutMs: 30_000,
        intervalMs: 100,
      });
    }
    const [first, second] = results as [ScanResult, ScanResult];
    // The first scheduled run has no watermark and looks back a day; the second starts at the
    // first's end, less the overlap that catches late commits.
    expect(Date.parse(first.until) - Date.parse(first.since)).toBe(24 * 3600 * 1000);
    expect(Date.parse(first.until) - Date.parse(second.since)).toBe(15 * 60 * 1000);
    expect(first).toMatchObject({ scanned: 7, opened: [] });
    expect(second).toMatchObject({ scanned: 7, opened: [] });
    await handle.delete();
  });
});

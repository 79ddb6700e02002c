// Proves the workflow-test harness on a throwaway fixture: time skipping on the Java test server,
// a real dev server, and recording + replaying histories.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryReplayError, recordHistoryIfRequested, replayHistories } from '../support/replay';
import {
  bundleWorkflows,
  createTestWorker,
  fromRepoRoot,
  startDevServerEnv,
  startTimeSkippingEnv,
  uniqueWorkflowId,
  waitFor,
} from '../support/temporal';
import { releaseSignal, waitForSignal } from './fixtures/wait-for-signal';

const fixturePath = fromRepoRoot('test/workflow/fixtures/wait-for-signal.ts');
const incompatibleFixturePath = fromRepoRoot(
  'test/workflow/fixtures/wait-for-signal-incompatible.ts',
);
const fixtureHistoriesDir = fromRepoRoot('test/workflow/fixtures/histories');
const ninetyDaysMs = 90 * 24 * 60 * 60 * 1000;
// Server start plus bundling on a loaded 2-core CI machine.
const setupTimeoutMs = 120_000;

async function timerStarted(handle: WorkflowHandle): Promise<boolean> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).some((event) => event.timerStartedEventAttributes != null);
}

describe('time-skipping test server', { timeout: 60_000 }, () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    [env, workflowBundle] = await Promise.all([
      startTimeSkippingEnv(),
      bundleWorkflows(fixturePath),
    ]);
  }, setupTimeoutMs);

  afterAll(async () => {
    await env?.teardown();
  });

  it('elapses a 90-day condition timeout through time skipping', async () => {
    const { worker, taskQueue } = await createTestWorker(env, { workflowBundle });
    const serverTimeBefore = await env.currentTimeMs();

    const handle = await env.client.workflow.start(waitForSignal, {
      taskQueue,
      workflowId: uniqueWorkflowId('ninety-days'),
      args: ['90 days'],
    });
    const outcome = await worker.runUntil(handle.result());

    expect(outcome.signalled).toBe(false);
    expect(outcome.waitedMs).toBeGreaterThanOrEqual(ninetyDaysMs);
    expect((await env.currentTimeMs()) - serverTimeBefore).toBeGreaterThanOrEqual(ninetyDaysMs);
    await recordHistoryIfRequested(handle, fixtureHistoriesDir, 'wait-for-signal-timed-out');
  });

  it('lets a signal sent before the deadline win', async () => {
    const { worker, taskQueue } = await createTestWorker(env, { workflowBundle });
    const handle = await env.client.workflow.start(waitForSignal, {
      taskQueue,
      workflowId: uniqueWorkflowId('signalled'),
      args: ['90 days'],
    });

    const outcome = await worker.runUntil(async () => {
      // Time stays locked until result() is awaited, so the timer is pending when the signal lands.
      await waitFor(() => timerStarted(handle), { what: 'the 90-day timer to start' });
      await handle.signal(releaseSignal);
      return await handle.result();
    });

    expect(outcome.signalled).toBe(true);
    expect(outcome.waitedMs).toBeLessThan(ninetyDaysMs);
    await recordHistoryIfRequested(handle, fixtureHistoriesDir, 'wait-for-signal-signalled');
  });
});

describe('dev server', { timeout: 60_000 }, () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    [env, workflowBundle] = await Promise.all([startDevServerEnv(), bundleWorkflows(fixturePath)]);
  }, setupTimeoutMs);

  afterAll(async () => {
    await env?.teardown();
  });

  it('fires a short condition timeout in real time', async () => {
    const { worker, taskQueue } = await createTestWorker(env, { workflowBundle });

    const outcome = await worker.runUntil(
      env.client.workflow.execute(waitForSignal, {
        taskQueue,
        workflowId: uniqueWorkflowId('short-timer'),
        args: ['1 second'],
      }),
    );

    expect(outcome.signalled).toBe(false);
    expect(outcome.waitedMs).toBeGreaterThanOrEqual(1_000);
  });
});

describe('replay of recorded histories', { timeout: setupTimeoutMs }, () => {
  it('replays the fixture histories without nondeterminism', async () => {
    const replayed = await replayHistories(fixtureHistoriesDir, {
      workflowBundle: await bundleWorkflows(fixturePath),
    });

    expect(replayed.map(({ file }) => file)).toEqual([
      'wait-for-signal-signalled.json',
      'wait-for-signal-timed-out.json',
    ]);
  });

  it('fails when the workflow code no longer matches a history', async () => {
    const replay = replayHistories(fixtureHistoriesDir, {
      workflowBundle: await bundleWorkflows(incompatibleFixturePath),
    });

    const error = await replay.then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(HistoryReplayError);
    const failures = (error as HistoryReplayError).failures;
    expect(failures.map(({ file }) => file)).toEqual([
      'wait-for-signal-signalled.json',
      'wait-for-signal-timed-out.json',
    ]);
    for (const { error: cause } of failures) {
      expect(cause.name).toBe('DeterminismViolationError');
    }
  });
});

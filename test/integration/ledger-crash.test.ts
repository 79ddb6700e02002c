// A worker process is SIGKILLed inside applyCorrection after the posting committed and before the
// activity completed. Temporal retries the activity on another worker, which finds the posting by
// its idempotency key: exactly one posting, on SQLite and on PostgreSQL.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerActivities } from '../../activities/ledger';
import { checkLedgerInDatabase } from '../../store/ledger/snapshot';
import type { AdjustmentDto } from '../../domain/ledger/correction';
import { spawnTs } from '../support/child-process';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import {
  correctionRequest,
  createDispute,
  importSample,
  ledgerDeps,
  postingsOf,
} from '../support/ledger';
import { bundleWorkflows, startDevServerEnv, uniqueId } from '../support/temporal';

const WORKFLOWS = 'test/integration/fixtures/ledger-crash-workflow.ts';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe.each(DATABASE_KINDS)('worker killed mid-posting on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await importSample(database.db);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('the retried activity on a second worker leaves exactly one posting', async () => {
    const { db } = database;
    const namespace = env.namespace ?? 'default';
    const taskQueue = uniqueId('ledger-crash');
    const disputeId = await createDispute(db, 'C-200', 'INV-2001');
    const request = correctionRequest(disputeId, 'C-200', 'INV-2001', 'refund', '3066.19');
    const adjustmentsOfDispute = (): Promise<number> =>
      db.adjustment.count({ where: { disputeId } });

    // Workflow tasks run here throughout; activity tasks go to whichever activity worker polls.
    const workflowWorker = await Worker.create({
      connection: env.nativeConnection,
      namespace,
      taskQueue,
      workflowBundle: await bundleWorkflows(WORKFLOWS),
    });
    await workflowWorker.runUntil(async () => {
      const doomed = spawnTs('test/integration/fixtures/ledger-crash-worker.ts', {
        DATABASE_URL: database.url,
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_NAMESPACE: namespace,
        TASK_QUEUE: taskQueue,
      });
      await doomed.waitForLine('ready');
      const handle = await env.client.workflow.start('postCorrection', {
        args: [request],
        taskQueue,
        workflowId: uniqueId('ledger-crash'),
      });

      // The first worker committed the posting and died before completing the activity.
      expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect(await adjustmentsOfDispute()).toBe(2);
      expect((await handle.describe()).status.name).toBe('RUNNING');

      // A second, ordinary worker picks up the retry once the killed attempt times out.
      const second = await Worker.create({
        connection: env.nativeConnection,
        namespace,
        taskQueue,
        activities: createLedgerActivities(ledgerDeps(db)),
      });
      const result = await second.runUntil(handle.result() as Promise<AdjustmentDto[]>);

      expect(result.map((a) => [a.kind, a.amount.amount])).toEqual([
        ['credit_note', '3066.19'],
        ['refund', '3066.19'],
      ]);
      const rows = await db.adjustment.findMany({
        where: { disputeId },
        orderBy: { documentNumber: 'asc' },
      });
      expect(rows.map((r) => r.id).sort()).toEqual(result.map((a) => a.id).sort());
      expect(await postingsOf(db, result)).toHaveLength(2);
      expect(
        await db.ledgerPosting.count({
          where: { idempotencyKey: { startsWith: `correction:${disputeId}:` } },
        }),
      ).toBe(2);

      const { events } = await handle.fetchHistory();
      const started = (events ?? []).flatMap((e) =>
        e.activityTaskStartedEventAttributes
          ? [e.activityTaskStartedEventAttributes.attempt ?? 0]
          : [],
      );
      // The history records only the last attempt's start: the retry that completed.
      expect(Math.max(...started)).toBeGreaterThanOrEqual(2);
      expect((await checkLedgerInDatabase(db)).violations).toEqual([]);
    });
  });
});

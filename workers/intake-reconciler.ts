// Repairs intakes that did not happen: a dispute row written by POST /v1/disputes whose workflow
// never started (Temporal was down, the client left between the insert and the start) gets its
// workflow started; one whose workflow ended before acknowledging it (terminated, failed) is marked
// `intake_failed` and frees its invoice. So no dispute sits in `acknowledging` for ever.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { startDisputeWorkflow } from '../activities/dispute-start';
import type { Policy } from '../domain/policy';
import type { Db } from '../store/db';
import {
  findUnacknowledgedDisputes,
  markIntakeFailed,
  type IntakeCursor,
} from '../store/disputes/intake';
import type { DispatcherLog } from './webhook-dispatcher';

export interface IntakeReconcilerOptions {
  db: Db;
  temporal: Client;
  taskQueue: string;
  policy: Policy;
  log: DispatcherLog;
  clock?: () => Date;
  /** A dispute younger than this is left to the request that is opening it. */
  graceMs?: number;
  intervalMs?: number;
}

export interface ReconcileReport {
  started: string[];
  failed: string[];
}

const PAGE = 100;

/** One pass over every dispute older than the grace period that no workflow acknowledged. */
export async function reconcileIntakes(options: IntakeReconcilerOptions): Promise<ReconcileReport> {
  const { db, temporal, log } = options;
  const now = (options.clock ?? ((): Date => new Date()))();
  const openedBefore = new Date(now.getTime() - (options.graceMs ?? 120_000));
  const report: ReconcileReport = { started: [], failed: [] };
  let after: IntakeCursor | null = null;
  for (;;) {
    const page = await findUnacknowledgedDisputes(db, { openedBefore, after, limit: PAGE });
    for (const dispute of page) {
      let status: string | null;
      try {
        status = (await temporal.workflow.getHandle(dispute.workflowId).describe()).status.name;
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        status = null;
      }
      if (status === null) {
        await startDisputeWorkflow({ ...options }, dispute.id);
        log.warn('started the workflow of a dispute whose intake was interrupted', {
          disputeId: dispute.id,
        });
        report.started.push(dispute.id);
      } else if (status !== 'RUNNING') {
        const marked = await markIntakeFailed(db, {
          disputeId: dispute.id,
          reason: `its workflow ended (${status}) before acknowledging the dispute`,
          details: { workflowStatus: status },
          at: now,
        });
        if (marked) {
          log.error('dispute intake failed', { disputeId: dispute.id, workflowStatus: status });
          report.failed.push(dispute.id);
        }
      }
    }
    const last = page.at(-1);
    if (page.length < PAGE || !last) return report;
    after = { openedAt: last.openedAt, id: last.id };
  }
}

/** Runs a pass every interval (a minute by default) until stopped. */
export function startIntakeReconciler(options: IntakeReconcilerOptions): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const loop = (async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      try {
        await reconcileIntakes(options);
      } catch (error) {
        options.log.warn('intake reconciliation failed; trying again', { error: String(error) });
      }
      await delay(options.intervalMs ?? 60_000, undefined, { signal: stopping.signal }).catch(
        () => undefined,
      );
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

// Disputes whose intake did not happen: recorded in `acknowledging` and never acknowledged by a
// workflow (its start failed, or the client left between the insert and the start), and the mark
// of an intake that failed for good. The worker's reconciler (workers/intake-reconciler.ts) uses both.
import type { Db } from '../db';

export interface UnacknowledgedDispute {
  id: string;
  workflowId: string;
  openedAt: Date;
}

/** Where a page of unacknowledged disputes ended: the next page starts after it. */
export interface IntakeCursor {
  openedAt: Date;
  id: string;
}

/**
 * Disputes opened before `openedBefore`, still `acknowledging`, with no `acknowledged` event and
 * no failed intake: oldest first, after `after`.
 */
export async function findUnacknowledgedDisputes(
  db: Db,
  query: { openedBefore: Date; after: IntakeCursor | null; limit: number },
): Promise<UnacknowledgedDispute[]> {
  const { after } = query;
  return db.dispute.findMany({
    where: {
      phase: 'acknowledging',
      intakeFailedAt: null,
      openedAt: { lt: query.openedBefore },
      events: { none: { type: 'acknowledged' } },
      ...(after
        ? {
            OR: [
              { openedAt: { gt: after.openedAt } },
              { openedAt: after.openedAt, id: { gt: after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ openedAt: 'asc' }, { id: 'asc' }],
    take: query.limit,
    select: { id: true, workflowId: true, openedAt: true },
  });
}

export interface IntakeFailure {
  disputeId: string;
  /** Why, in a sentence an operator can act on. */
  reason: string;
  /** More for the timeline event, e.g. the workflow's status and run. */
  details?: Record<string, unknown>;
  at: Date;
}

/**
 * Marks the intake failed, with its `intake_failed` event, in one transaction; once. The dispute
 * stays `acknowledging` (it never got further) and stops holding its invoice and reason, so the
 * dispute can be opened again. False when it was marked already or has moved on meanwhile.
 */
export async function markIntakeFailed(db: Db, failure: IntakeFailure): Promise<boolean> {
  const { disputeId, reason, at } = failure;
  return db.$transaction(async (tx) => {
    const marked = await tx.dispute.updateMany({
      where: { id: disputeId, phase: 'acknowledging', intakeFailedAt: null },
      data: { intakeFailedAt: at, intakeFailure: reason, openKey: null },
    });
    if (marked.count === 0) return false;
    await tx.disputeEvent.create({
      data: {
        disputeId,
        key: `${disputeId}:intake_failed`,
        at,
        type: 'intake_failed',
        actor: 'system',
        data: JSON.stringify({ reason, ...failure.details }),
      },
    });
    return true;
  });
}

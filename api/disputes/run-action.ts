// Runs a dispute action as a Temporal update. The workflow's validator decides whether the phase
// allows it (PhaseConflict → 409) and whether it fits (Unprocessable → 422); the handler persists
// the dispute before it answers, so the read model is current when the update returns.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import { PHASES, type Phase } from '../../domain/dispute';
import { actionAllowed, type Action } from '../../domain/lifecycle';
import type { Db } from '../../store/db';
import { findDisputeRef as findRef, type DisputeRef } from '../../store/disputes/find';
import { PHASE_CONFLICT, UNPROCESSABLE } from '../../workflows/messages';
import type { ActionResult } from '../../workflows/state';
import { claimActionKey } from '../../store/disputes/action-keys';
import { ApiError, conflict, notFound, unprocessable } from '../http/errors';
import type { DisputeDto } from './schemas';
import { TEMPORAL_CALL_TIMEOUT_MS } from '../http/temporal-errors';
import { loadDispute } from './dto';

export interface ActionDeps {
  db: Db;
  temporal: Client;
  temporalTimeoutMs?: number;
}

export type { DisputeRef };

function phaseConflictAnswer(phase: string, action: Action, message: string): ApiError {
  return conflict('phase_conflict', message, {
    phase,
    action,
    allowedIn: PHASES.filter((p: Phase) => actionAllowed(action, p)),
  });
}

/** The dispute an action names; 404 when there is none. */
export async function findDisputeRef(db: Db, id: string): Promise<DisputeRef> {
  const row = await findRef(db, id);
  if (!row) throw notFound(`Dispute ${id}`);
  return row;
}

/** A client's Idempotency-Key with the hash of what it asked, to tell a retry from a reuse. */
export interface ActionKey {
  key: string;
  requestHash: string;
}

/**
 * Sends the update and answers with the dispute as the handler left it. With an Idempotency-Key
 * the update id derives from it, so a retry after a timeout or a 503 runs the action once.
 */
export async function runAction<I>(
  deps: ActionDeps,
  dispute: DisputeRef,
  action: Action,
  update: UpdateDefinition<ActionResult, [I]>,
  input: I,
  idempotency?: ActionKey,
): Promise<DisputeDto> {
  const handle = deps.temporal.workflow.getHandle(dispute.workflowId);
  if (idempotency) {
    const claim = await claimActionKey(deps.db, {
      disputeId: dispute.id,
      key: idempotency.key,
      requestHash: idempotency.requestHash,
      now: new Date(),
    });
    if (claim === 'reused') {
      throw conflict(
        'idempotency_key_reused',
        'This Idempotency-Key was used with a different action or body on this dispute',
        { disputeId: dispute.id },
      );
    }
  }
  const updateId = idempotency ? `${action}:${idempotency.key}` : undefined;
  try {
    await deps.temporal.withDeadline(
      Date.now() + (deps.temporalTimeoutMs ?? TEMPORAL_CALL_TIMEOUT_MS),
      () => handle.executeUpdate(update, { args: [input], ...(updateId ? { updateId } : {}) }),
    );
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const failure = error.cause;
      if (failure.type === PHASE_CONFLICT) {
        const given = failure.details?.[0] as { phase?: string } | undefined;
        throw phaseConflictAnswer(given?.phase ?? dispute.phase, action, failure.message);
      }
      if (failure.type === UNPROCESSABLE) throw unprocessable(failure.message, { action });
    }
    if (error instanceof WorkflowNotFoundError) {
      // The workflow has ended (closed, and the reopen window has passed): nothing can change it.
      const { phase } = await findDisputeRef(deps.db, dispute.id);
      const why =
        phase === 'closed'
          ? 'is closed and its workflow has ended'
          : `is ${phase} but has no running workflow`;
      throw phaseConflictAnswer(phase, action, `Dispute ${dispute.id} ${why}`);
    }
    throw error;
  }
  const updated = await loadDispute(deps.db, dispute.id);
  if (!updated) throw notFound(`Dispute ${dispute.id}`);
  return updated;
}

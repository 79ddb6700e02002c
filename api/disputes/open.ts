// POST /v1/disputes: Idempotency-Key handling around store/disputes/open.ts, then the workflow
// start. A retried request finds its dispute (and makes sure its workflow runs); the same key with
// another body is 409; a second open dispute on the invoice (whatever its reason) is 409 naming
// the open one: two disputes never correct the same invoice at once.
import type { Client } from '@temporalio/client';
import { startDisputeWorkflow } from '../../activities/dispute-start';
import { conflictWith } from '../../domain/errors';
import type { Policy } from '../../domain/policy';
import type { Db } from '../../store/db';
import {
  findIdempotencyRecord,
  recordDispute,
  type RecordedDispute,
} from '../../store/disputes/open';
import { isUniqueViolation } from '../../store/errors';
import type { Caller } from '../http/auth';
import { ApiError } from '../http/errors';
import { requestHash } from '../http/idempotency';
import { loadDispute } from './dto';
import type { DisputeDto, OpenDisputeBody } from './schemas';

export interface OpenDisputeDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  policy: Policy;
  now: () => Date;
}

export interface OpenDisputeResult {
  dispute: DisputeDto;
  replayed: boolean;
}

/**
 * Starts the dispute's workflow unless a run of it exists: safe to call again after a crash. A
 * run that exists — running, or ended in any way — is left as it is: the answer is the dispute as
 * it stands, never a fresh run from acknowledgement (activities/dispute-start.ts).
 */
async function ensureWorkflow(deps: OpenDisputeDeps, disputeId: string): Promise<void> {
  await startDisputeWorkflow(
    { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, policy: deps.policy },
    disputeId,
  );
}

export async function openDispute(
  deps: OpenDisputeDeps,
  body: OpenDisputeBody,
  caller: Caller,
  idempotencyKey: string | undefined,
): Promise<OpenDisputeResult> {
  const { db } = deps;
  const hash = requestHash(body);
  const now = deps.now();

  if (idempotencyKey !== undefined) {
    const previous = await findIdempotencyRecord(db, idempotencyKey, now);
    if (previous) {
      if (previous.requestHash !== hash) {
        throw conflictWith(
          'idempotency_key_reused',
          'This Idempotency-Key was used with a different body',
          { disputeId: previous.disputeId },
        );
      }
      await ensureWorkflow(deps, previous.disputeId);
      return { dispute: await mustLoad(db, previous.disputeId), replayed: true };
    }
  }

  let recorded: RecordedDispute;
  try {
    recorded = await recordDispute(
      db,
      {
        body,
        actor: caller.actor,
        internal: false,
        ...(idempotencyKey !== undefined ? { idempotency: { key: idempotencyKey, hash } } : {}),
      },
      now,
    );
  } catch (error) {
    // Two requests raced on one Idempotency-Key: the loser answers like a replay.
    if (idempotencyKey !== undefined && isUniqueViolation(error)) {
      return openDispute(deps, body, caller, idempotencyKey);
    }
    throw error;
  }
  if (recorded.outcome === 'open') {
    // A request with this key may have committed since the check above: answer as its replay.
    if (idempotencyKey !== undefined && (await findIdempotencyRecord(db, idempotencyKey, now))) {
      return openDispute(deps, body, caller, idempotencyKey);
    }
    await ensureWorkflow(deps, recorded.id);
    throw conflictWith(
      'dispute_exists',
      `Dispute ${recorded.id} on invoice ${body.invoiceId} is still open; add to it, or withdraw it before opening another`,
      { disputeId: recorded.id, invoiceId: body.invoiceId },
    );
  }
  await ensureWorkflow(deps, recorded.id);
  return { dispute: await mustLoad(db, recorded.id), replayed: false };
}

async function mustLoad(db: Db, id: string): Promise<DisputeDto> {
  const dispute = await loadDispute(db, id);
  if (!dispute) throw new ApiError(500, 'internal', `Dispute ${id} vanished`);
  return dispute;
}

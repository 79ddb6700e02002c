// Ledger activities: corrections and reversals posted exactly once. The idempotency key (dispute,
// step, document) is unique in the database, so a retry — or a second worker racing the first —
// gets the adjustments already posted instead of posting again.
import { ApplicationFailure, log } from '@temporalio/activity';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CorrectionError,
  type AdjustmentDto,
  type CorrectionCheck,
  type CorrectionRequest,
  type InstallmentStatus,
  type ReversalRequest,
} from '../domain/ledger/correction';
import { LedgerError } from '../domain/ledger/accounts';
import type { ActivityDeps } from './deps';
import {
  AlreadyPosted,
  checkCorrection,
  commitCorrection,
  correctionKeys,
} from '../store/ledger/corrections';
import { installmentStatuses } from '../store/ledger/installments';
import { commitReversal, reversalsOf } from '../store/ledger/reversals';
import { isUniqueViolation, isWriteConflict } from '../store/errors';
import { findAdjustments } from '../store/ledger/rows';

export type { AdjustmentDto, CorrectionCheck, CorrectionRequest, InstallmentStatus };
export type { ReversalRequest };

/** Lost write races retried in place (jittered backoff) before Temporal's own retry takes over. */
const CONFLICT_ATTEMPTS = 10;

/** A business refusal as Temporal's non-retryable failure, its type one of CORRECTION_PROBLEMS. */
function permanent(error: unknown): ApplicationFailure | null {
  if (error instanceof CorrectionError) {
    return ApplicationFailure.create({
      message: error.message,
      type: error.problem,
      nonRetryable: true,
      cause: error,
    });
  }
  if (error instanceof LedgerError) {
    return ApplicationFailure.create({
      message: error.message,
      type: 'InvalidCorrection',
      nonRetryable: true,
      cause: error,
    });
  }
  return null;
}

interface Posting {
  /** For the logs. */
  context: Record<string, unknown>;
  /** What an earlier attempt posted under the same key, if anything. */
  existing: () => Promise<AdjustmentDto[]>;
  /** Posts in one transaction; AlreadyPosted, a unique violation or a write conflict when raced. */
  commit: () => Promise<AdjustmentDto[]>;
}

/**
 * Runs a posting once: an earlier attempt's adjustments are returned as they are; a lost race for
 * the key or the write lock looks again; a business refusal is non-retryable.
 */
async function postOnce(
  { hooks }: ActivityDeps,
  { context, existing, commit }: Posting,
): Promise<AdjustmentDto[]> {
  for (let attempt = 1; ; attempt += 1) {
    const found = await existing();
    if (found.length > 0) {
      const documents = found.map((a) => a.documentNumber);
      log.info(attempt === 1 ? 'already posted' : 'posted concurrently', {
        ...context,
        documents,
      });
      return found;
    }
    try {
      const posted = await commit();
      log.info('posted', { ...context, documents: posted.map((a) => a.documentNumber) });
      hooks?.afterPostingCommitted?.();
      return posted;
    } catch (error) {
      // Another attempt with the same key won: the next look-up returns its adjustments.
      if (error instanceof AlreadyPosted) continue;
      if (isUniqueViolation(error) && (await existing()).length > 0) continue;
      if (isWriteConflict(error) && attempt < CONFLICT_ATTEMPTS) {
        await delay(Math.random() * Math.min(1000, 20 * 2 ** attempt));
        continue;
      }
      const failure = permanent(error);
      if (failure) log.warn('refused', { ...context, type: failure.type, reason: failure.message });
      throw failure ?? error;
    }
  }
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types
export function createLedgerActivities(deps: ActivityDeps) {
  const { db, clock } = deps;
  return {
    /**
     * Issues the correction's documents and posts them, once, if the guard allows: the invoice's
     * corrections, this one included, stay between 0 and its discrepancy. Returns its adjustments
     * (a refund: the credit note, then the refund). Non-retryable failures: CORRECTION_PROBLEMS.
     */
    async applyCorrection(request: CorrectionRequest): Promise<AdjustmentDto[]> {
      const keys = correctionKeys(request);
      return postOnce(deps, {
        context: { disputeId: request.disputeId, step: request.step, kind: request.kind },
        existing: () => findAdjustments(db, keys),
        commit: () => commitCorrection(db, request, clock),
      });
    },

    /**
     * The answer applyCorrection would give now, with nothing written: lets a decision be refused
     * before anything is promised to the customer. Only infrastructure failures throw.
     */
    async checkCorrection(request: CorrectionRequest): Promise<CorrectionCheck> {
      const answer = await checkCorrection(db, request, clock);
      if (!answer.ok)
        log.info('correction would be refused', {
          disputeId: request.disputeId,
          step: request.step,
          problem: answer.problem,
          reason: answer.message,
        });
      return answer;
    },

    /**
     * Reverses every document of the correction that issued `documentNumber`, once. Returns the
     * reversals, the last issued document's first. Non-retryable failures: MissingRecord (unknown
     * document), InvalidCorrection (already reversed, another dispute's, a reversal).
     */
    async reverseCorrection(request: ReversalRequest): Promise<AdjustmentDto[]> {
      return postOnce(deps, {
        context: {
          disputeId: request.disputeId,
          step: request.step,
          reverses: request.documentNumber,
        },
        existing: () => reversalsOf(db, request),
        commit: () => commitReversal(db, request, clock),
      });
    },

    /** Every installment of the dispute's payment plans, with what payments settled so far. */
    async paymentPlanStatus({ disputeId }: { disputeId: string }): Promise<InstallmentStatus[]> {
      return installmentStatuses(db, disputeId);
    },
  };
}

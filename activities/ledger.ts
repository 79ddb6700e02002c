// Ledger activities: corrections posted exactly once. The idempotency key (dispute, step,
// document) is unique in the database, so a retry — or a second worker racing the first — gets
// the adjustments already posted instead of posting again.
import { ApplicationFailure, log } from '@temporalio/activity';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CorrectionError,
  type AdjustmentDto,
  type CorrectionRequest,
} from '../domain/ledger/correction';
import { LedgerError } from '../domain/ledger/accounts';
import type { ActivityDeps } from './deps';
import { AlreadyPosted, commitCorrection, correctionKeys } from '../store/ledger/corrections';
import { isUniqueViolation, isWriteConflict } from '../store/errors';
import { findAdjustments } from '../store/ledger/rows';

export type { AdjustmentDto, CorrectionRequest };

/** Lost write races retried in place (jittered backoff) before Temporal's own retry takes over. */
const CONFLICT_ATTEMPTS = 10;

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

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types
export function createLedgerActivities({ db, clock, hooks }: ActivityDeps) {
  return {
    /**
     * Issues the correction's documents and posts them, once. Returns its adjustments (a refund:
     * the credit note, then the refund). Non-retryable failures: MissingRecord,
     * InvalidCorrection, UnjustifiedCorrection.
     */
    async applyCorrection(request: CorrectionRequest): Promise<AdjustmentDto[]> {
      const keys = correctionKeys(request);
      const context = { disputeId: request.disputeId, step: request.step, kind: request.kind };
      for (let attempt = 1; ; attempt += 1) {
        const existing = await findAdjustments(db, keys);
        if (existing.length > 0) {
          const documents = existing.map((a) => a.documentNumber);
          log.info(attempt === 1 ? 'correction already posted' : 'correction posted concurrently', {
            ...context,
            documents,
          });
          return existing;
        }
        try {
          const posted = await commitCorrection(db, request, clock);
          log.info('correction posted', {
            ...context,
            documents: posted.map((a) => a.documentNumber),
          });
          hooks?.afterPostingCommitted?.();
          return posted;
        } catch (error) {
          // Another attempt with the same key won: the next look-up returns its adjustments.
          if (error instanceof AlreadyPosted) continue;
          if (isUniqueViolation(error) && (await findAdjustments(db, keys)).length > 0) continue;
          if (isWriteConflict(error) && attempt < CONFLICT_ATTEMPTS) {
            await delay(Math.random() * Math.min(1000, 20 * 2 ** attempt));
            continue;
          }
          throw permanent(error) ?? error;
        }
      }
    },
  };
}

// Idempotency-Keys of dispute actions. The key becomes the Temporal update id, so a retried
// request runs its action once; the request's hash is kept here so that the same key with another
// body is refused (409), as POST /v1/disputes does.
import type { Db } from '../db';
import { isUniqueViolation } from '../errors';
import { IDEMPOTENCY_WINDOW_MS } from './open';

export type ActionKeyClaim = 'new' | 'retry' | 'reused';

const recordKey = (disputeId: string, key: string): string => `action:${disputeId}:${key}`;

/** Records `key` for this action's request on the dispute, or tells how it was used before. */
export async function claimActionKey(
  db: Db,
  claim: { disputeId: string; key: string; requestHash: string; now: Date },
): Promise<ActionKeyClaim> {
  const key = recordKey(claim.disputeId, claim.key);
  const stale = new Date(claim.now.getTime() - IDEMPOTENCY_WINDOW_MS);
  for (;;) {
    const previous = await db.idempotencyRecord.findUnique({ where: { key } });
    if (previous && previous.createdAt >= stale)
      return previous.requestHash === claim.requestHash ? 'retry' : 'reused';
    try {
      await db.$transaction([
        db.idempotencyRecord.deleteMany({ where: { key, createdAt: { lt: stale } } }),
        db.idempotencyRecord.create({
          data: {
            key,
            requestHash: claim.requestHash,
            disputeId: claim.disputeId,
            createdAt: claim.now,
          },
        }),
      ]);
      return 'new';
    } catch (error) {
      // A concurrent request with the same key recorded it first: compare with that one.
      if (!isUniqueViolation(error)) throw error;
    }
  }
}

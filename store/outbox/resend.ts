// A manager's resend of a message that could not be delivered: the failed row goes back to
// `pending` for the worker's outbox relay, with the request on the dispute's timeline.
import { conflictWith, notFound } from '../../domain/errors';
import type { Db } from '../db';

export interface ResendRequest {
  disputeId: string;
  messageId: string;
  actor: string;
  now: Date;
}

/** Queues the failed message again; 404 when the dispute has no such message, 409 unless failed. */
export async function resendFailedEmail(db: Db, request: ResendRequest): Promise<void> {
  const { disputeId, messageId, actor, now } = request;
  await db.$transaction(async (tx) => {
    const row = await tx.outboxMessage.findFirst({ where: { id: messageId, disputeId } });
    if (!row) throw notFound(`Email ${messageId} of dispute ${disputeId}`);
    if (row.status !== 'failed')
      throw conflictWith('email_not_failed', `Email ${messageId} is ${row.status}, not failed`, {
        status: row.status,
      });
    // Compare-and-set on the attempt count: of two concurrent resends, one queues the message.
    const queued = await tx.outboxMessage.updateMany({
      where: { id: messageId, status: 'failed', attempts: row.attempts },
      data: { status: 'pending', relay: true, nextAttemptAt: now },
    });
    if (queued.count === 0)
      throw conflictWith('email_not_failed', `Email ${messageId} is being resent already`);
    await tx.disputeEvent.create({
      data: {
        disputeId,
        key: `resend:${messageId}:${row.attempts}`,
        at: now,
        type: 'email_resend_requested',
        actor,
        data: JSON.stringify({ kind: row.kind, messageId, previousError: row.lastError }),
      },
    });
  });
}

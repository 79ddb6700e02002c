// The outbox rows no workflow delivers (`relay`): due rows, a compare-and-set claim with a lease,
// and the outcome of a send with its timeline event. workers/outbox-relay.ts drives it.
import type { Contact } from '../../domain/dispute';
import type { Db } from '../db';

export interface RelayMessage {
  id: string;
  disputeId: string | null;
  kind: string;
  to: Contact;
  subject: string;
  text: string;
  html: string;
  inReplyTo: string | null;
  attempts: number;
}

export async function dueRelayMessages(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db.outboxMessage.findMany({
    where: { relay: true, status: { in: ['pending', 'sending'] }, nextAttemptAt: { lte: now } },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** Takes a due message for one attempt until `leaseUntil`; null when it is not (or no longer) due. */
export async function claimRelayMessage(
  db: Db,
  id: string,
  now: Date,
  leaseUntil: Date,
): Promise<RelayMessage | null> {
  const row = await db.outboxMessage.findUnique({ where: { id } });
  if (!row || !row.relay || (row.status !== 'pending' && row.status !== 'sending')) return null;
  if (row.nextAttemptAt && row.nextAttemptAt > now) return null;
  const claimed = await db.outboxMessage.updateMany({
    where: { id, status: row.status, attempts: row.attempts },
    data: { status: 'sending', attempts: { increment: 1 }, nextAttemptAt: leaseUntil },
  });
  if (claimed.count === 0) return null;
  return {
    id,
    disputeId: row.disputeId,
    kind: row.kind,
    to: JSON.parse(row.toAddress) as Contact,
    subject: row.subject,
    text: row.text,
    html: row.html,
    inReplyTo: row.inReplyTo,
    attempts: row.attempts + 1,
  };
}

export async function markRelaySent(db: Db, message: RelayMessage, sentAt: Date): Promise<void> {
  const key = `sent:${message.id}`;
  await db.$transaction([
    db.outboxMessage.update({ where: { id: message.id }, data: { status: 'sent', sentAt } }),
    ...(message.disputeId
      ? [
          db.disputeEvent.upsert({
            where: { key },
            update: {},
            create: {
              disputeId: message.disputeId,
              key,
              at: sentAt,
              type: 'email_sent',
              actor: 'system',
              data: JSON.stringify({
                kind: message.kind,
                messageId: message.id,
                to: message.to.email,
                attempts: message.attempts,
              }),
            },
          }),
        ]
      : []),
  ]);
}

/** A final rejection (`retryAt` null) or a failure worth another attempt at `retryAt`. */
export async function markRelayFailed(
  db: Db,
  id: string,
  lastError: string,
  retryAt: Date | null,
): Promise<void> {
  await db.outboxMessage.update({
    where: { id },
    data: retryAt
      ? { status: 'pending', lastError, nextAttemptAt: retryAt }
      : { status: 'failed', lastError },
  });
}

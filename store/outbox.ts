// The email outbox's rows: a message is stored with its `email_queued` timeline event first, then
// claimed by one delivery attempt at a time (compare-and-set), released after a failure worth
// retrying, and settled as sent or failed together with its timeline event.
import type { Contact } from '../domain/dispute';
import type { Db } from './db';
import { isUniqueViolation } from './errors';

/**
 * pending → sending → sent, back to pending after a failure worth retrying, or failed when the
 * server rejected the message for good. One attempt holds `sending`; a Temporal retry of a
 * crashed attempt takes it over.
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export type OutboxRow = NonNullable<Awaited<ReturnType<Db['outboxMessage']['findUnique']>>>;

export interface OutboxMessage {
  /** The Message-ID: derived from dispute and step, so a retried queueing finds its row. */
  id: string;
  disputeId: string;
  kind: string;
  to: Contact;
  subject: string;
  text: string;
  html: string;
  inReplyTo: string | null;
}

/** Stores the message and its `email_queued` event in one transaction. Idempotent: the first row wins. */
export async function insertOutboxMessage(
  db: Db,
  message: OutboxMessage,
  queuedAt: Date,
): Promise<void> {
  const { id, disputeId, kind, to, subject } = message;
  try {
    await db.$transaction(async (tx) => {
      if (await tx.outboxMessage.findUnique({ where: { id }, select: { id: true } })) return;
      await tx.outboxMessage.create({
        data: {
          id,
          disputeId,
          kind,
          toAddress: JSON.stringify(to),
          subject,
          text: message.text,
          html: message.html,
          inReplyTo: message.inReplyTo,
        },
      });
      await tx.disputeEvent.create({
        data: {
          disputeId,
          key: `email:${id}`,
          at: queuedAt,
          type: 'email_queued',
          actor: 'system',
          data: JSON.stringify({ kind, to: to.email, subject, messageId: id }),
        },
      });
    });
  } catch (error) {
    // A concurrent attempt inserted the same row first: the message is queued all the same.
    if (!isUniqueViolation(error)) throw error;
  }
}

export function findOutboxMessage(db: Db, id: string): Promise<OutboxRow> {
  return db.outboxMessage.findUniqueOrThrow({ where: { id } });
}

/**
 * Moves the row to `sending` and counts the attempt, if it is still as `row` read it: of two
 * attempts that read the same row, one wins. False when another attempt changed it first.
 */
export async function claimOutboxMessage(db: Db, row: OutboxRow): Promise<boolean> {
  const claim = await db.outboxMessage.updateMany({
    where: { id: row.id, status: row.status, attempts: row.attempts },
    data: { status: 'sending' satisfies OutboxStatus, attempts: { increment: 1 } },
  });
  return claim.count > 0;
}

/** Gives a claimed message back to `pending` after a failure that a retry may overcome. */
export async function releaseOutboxMessage(db: Db, id: string, lastError: string): Promise<void> {
  await db.outboxMessage.updateMany({
    where: { id, status: 'sending' },
    data: { status: 'pending' satisfies OutboxStatus, lastError },
  });
}

/** `details` go into the timeline event's data, after `kind` and `messageId`. */
export type OutboxOutcome =
  | { status: 'sent'; at: Date; details: Record<string, unknown> }
  | { status: 'failed'; at: Date; lastError: string; details: Record<string, unknown> };

/** The row's final state and its `email_sent`/`email_failed` event, in one transaction. */
export async function settleOutboxMessage(
  db: Db,
  row: OutboxRow,
  outcome: OutboxOutcome,
): Promise<void> {
  const { status, at } = outcome;
  const update = db.outboxMessage.update({
    where: { id: row.id },
    data:
      outcome.status === 'sent' ? { status, sentAt: at } : { status, lastError: outcome.lastError },
  });
  if (row.disputeId === null) {
    await update;
    return;
  }
  const key = `${status}:${row.id}`;
  await db.$transaction([
    update,
    db.disputeEvent.upsert({
      where: { key },
      update: {},
      create: {
        disputeId: row.disputeId,
        key,
        at,
        type: status === 'sent' ? 'email_sent' : 'email_failed',
        actor: 'system',
        data: JSON.stringify({ kind: row.kind, messageId: row.id, ...outcome.details }),
      },
    }),
  ]);
}

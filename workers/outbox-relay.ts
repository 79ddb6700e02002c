// Sends the outbox messages that no workflow delivers: those queued by the inbound mail receiver
// and the response page (the assignee's notification of a customer's message). Same outbox, same
// at-least-once rules as the workflow's deliverEmail: claim by compare-and-set, a lease that a
// crashed attempt leaves to the next one, backoff on connection failures, `failed` on rejection.
import { setTimeout as delay } from 'node:timers/promises';
import type { Transporter } from 'nodemailer';
import type { Contact } from '../domain/dispute';
import { describeSmtpError, isPermanentRejection } from '../email/smtp-failure';
import type { Db } from '../store/db';
import type { DispatcherLog } from './webhook-dispatcher';

export interface OutboxRelayOptions {
  db: Db;
  mailer: Transporter;
  from: string;
  log: DispatcherLog;
  clock?: () => Date;
  pollMs?: number;
}

const LEASE_MS = 2 * 60_000;
const LONGEST_WAIT_MS = 10 * 60_000;

export function startOutboxRelay(options: OutboxRelayOptions): { stop(): Promise<void> } {
  const { db, mailer, log } = options;
  const clock = options.clock ?? ((): Date => new Date());
  const pollMs = options.pollMs ?? 500;
  const stopping = new AbortController();

  async function sendOne(id: string): Promise<void> {
    const row = await db.outboxMessage.findUnique({ where: { id } });
    if (!row || !row.relay || (row.status !== 'pending' && row.status !== 'sending')) return;
    const now = clock();
    const claimed = await db.outboxMessage.updateMany({
      where: { id, status: row.status, attempts: row.attempts },
      data: {
        status: 'sending',
        attempts: { increment: 1 },
        nextAttemptAt: new Date(now.getTime() + LEASE_MS),
      },
    });
    if (claimed.count === 0) return;
    const attempts = row.attempts + 1;
    const to = JSON.parse(row.toAddress) as Contact;
    try {
      await mailer.sendMail({
        from: options.from,
        to: { name: to.name, address: to.email },
        subject: row.subject,
        text: row.text,
        html: row.html,
        messageId: row.id,
        ...(row.inReplyTo ? { inReplyTo: row.inReplyTo, references: [row.inReplyTo] } : {}),
      });
    } catch (error) {
      const lastError = describeSmtpError(error);
      if (isPermanentRejection(error)) {
        await db.outboxMessage.update({ where: { id }, data: { status: 'failed', lastError } });
        log.error('notification rejected by the SMTP server', { messageId: id, error: lastError });
        return;
      }
      const wait = Math.min(5000 * 2 ** (attempts - 1), LONGEST_WAIT_MS);
      await db.outboxMessage.update({
        where: { id },
        data: { status: 'pending', lastError, nextAttemptAt: new Date(clock().getTime() + wait) },
      });
      log.warn('notification not sent; retrying', { messageId: id, attempts, error: lastError });
      return;
    }
    const sentAt = clock();
    const key = `sent:${id}`;
    await db.$transaction([
      db.outboxMessage.update({ where: { id }, data: { status: 'sent', sentAt } }),
      ...(row.disputeId
        ? [
            db.disputeEvent.upsert({
              where: { key },
              update: {},
              create: {
                disputeId: row.disputeId,
                key,
                at: sentAt,
                type: 'email_sent',
                actor: 'system',
                data: JSON.stringify({ kind: row.kind, messageId: id, to: to.email, attempts }),
              },
            }),
          ]
        : []),
    ]);
  }

  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        const due = await db.outboxMessage.findMany({
          where: {
            relay: true,
            status: { in: ['pending', 'sending'] },
            nextAttemptAt: { lte: clock() },
          },
          orderBy: { createdAt: 'asc' },
          take: 20,
          select: { id: true },
        });
        for (const { id } of due) await sendOne(id);
      } catch (error) {
        log.error('outbox relay failed a round; retrying', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      await delay(pollMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  }

  const done = loop();
  return {
    async stop() {
      stopping.abort();
      await done;
    },
  };
}

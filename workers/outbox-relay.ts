// Sends the outbox messages that no workflow delivers: those queued by the inbound mail receiver
// and the response page (the assignee's notification of a customer's message). Same outbox, same
// at-least-once rules as the workflow's deliverEmail: claim by compare-and-set, a lease that a
// crashed attempt leaves to the next one, backoff on connection failures, `failed` on rejection.
import { setTimeout as delay } from 'node:timers/promises';
import type { Transporter } from 'nodemailer';
import { describeSmtpError, isPermanentRejection } from '../email/smtp-failure';
import type { Db } from '../store/db';
import {
  claimRelayMessage,
  dueRelayMessages,
  markRelayFailed,
  markRelaySent,
} from '../store/outbox/relay-queue';
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
    const now = clock();
    const message = await claimRelayMessage(db, id, now, new Date(now.getTime() + LEASE_MS));
    if (!message) return;
    try {
      await mailer.sendMail({
        from: options.from,
        to: { name: message.to.name, address: message.to.email },
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.id,
        ...(message.inReplyTo
          ? { inReplyTo: message.inReplyTo, references: [message.inReplyTo] }
          : {}),
      });
    } catch (error) {
      const lastError = describeSmtpError(error);
      if (isPermanentRejection(error)) {
        await markRelayFailed(db, id, lastError, null);
        log.error('notification rejected by the SMTP server', { messageId: id, error: lastError });
        return;
      }
      const wait = Math.min(5000 * 2 ** (message.attempts - 1), LONGEST_WAIT_MS);
      await markRelayFailed(db, id, lastError, new Date(clock().getTime() + wait));
      log.warn('notification not sent; retrying', {
        messageId: id,
        attempts: message.attempts,
        error: lastError,
      });
      return;
    }
    await markRelaySent(db, message, clock());
  }

  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        for (const id of await dueRelayMessages(db, clock(), 20)) await sendOne(id);
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

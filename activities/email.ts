// The transactional outbox (rows in store/outbox.ts): a message is written to the database first
// (the timeline shows it), then delivered by a separately retried activity. The Message-ID derives from dispute and step,
// so a retry finds the row already sent and never sends twice.
import { activityInfo, ApplicationFailure, log } from '@temporalio/activity';
import type { Contact } from '../domain/dispute';
import type { EmailMessage, Locale } from '../domain/notifications';
import { threadHeaders } from '../email/headers';
import { recipientProblem } from '../email/recipient';
import { renderEmail } from '../email/render';
import { describeSmtpError, isPermanentRejection } from '../email/smtp-failure';
import {
  claimOutboxMessage,
  findOutboxMessage,
  insertOutboxMessage,
  releaseOutboxMessage,
  settleOutboxMessage,
} from '../store/outbox';
import { currentOfferRound, mintLink, type LinkPurpose } from '../store/customer-links/links';
import { signLinkToken } from '../store/customer-links/token';
import type { ActivityDeps } from './deps';

export interface QueueEmailRequest {
  disputeId: string;
  /** Unique within the dispute, e.g. `ack`, `offer.r2`, `escalation.l1.3`. */
  step: string;
  to: Contact;
  locale: Locale;
  /** IANA time zone for the deadlines and instants in the message. Default UTC. */
  timeZone?: string;
  message: EmailMessage;
}

/** Non-retryable: data no retry can fix (render, thread, recipient) or a final SMTP rejection. */
export const INVALID_EMAIL = 'InvalidEmail';
export const INVALID_RECIPIENT = 'InvalidRecipient';
export const EMAIL_REJECTED = 'EmailRejected';
/** Retryable: another attempt holds the message; the retry finds it sent or free. */
export const DELIVERY_IN_PROGRESS = 'EmailDeliveryInProgress';

function checkedRecipient(to: Contact, messageId: string): Contact {
  const problem = recipientProblem(to);
  if (problem) {
    throw ApplicationFailure.nonRetryable(
      `refusing recipient of ${messageId}: ${problem}`,
      INVALID_RECIPIENT,
    );
  }
  return { name: to.name, email: to.email };
}

/** Rendering and threading throw RangeError on data no retry can fix; keep the cause. */
function permanent<T>(what: string, build: () => T): T {
  try {
    return build();
  } catch (cause) {
    if (!(cause instanceof RangeError)) throw cause;
    throw ApplicationFailure.create({
      message: `${what}: ${cause.message}`,
      type: INVALID_EMAIL,
      nonRetryable: true,
      cause,
    });
  }
}

const inProgress = (messageId: string): ApplicationFailure =>
  ApplicationFailure.retryable(
    `${messageId} is being sent by another attempt`,
    DELIVERY_IN_PROGRESS,
  );

const rejected = (messageId: string, reason: string | null, cause?: Error): ApplicationFailure =>
  ApplicationFailure.create({
    message: `the SMTP server rejected ${messageId}: ${reason ?? 'unknown reason'}`,
    type: EMAIL_REJECTED,
    nonRetryable: true,
    ...(cause ? { cause } : {}),
  });

interface LinkSpec {
  purpose: LinkPurpose;
  round: number | 'current';
  expiresAt: string;
  offer: unknown;
}

/** The emails that ask the customer something carry a link to the response page. */
function linkSpec(message: EmailMessage): LinkSpec | null {
  switch (message.kind) {
    case 'acknowledgement':
      return { purpose: 'inform', round: 1, expiresAt: message.data.findingsDueBy, offer: null };
    case 'offer':
    case 'reminder': {
      const { proposal, respondBy } = message.data;
      return {
        purpose: 'answer',
        round: message.kind === 'offer' ? message.data.round : 'current',
        expiresAt: respondBy,
        offer: { proposal, respondBy },
      };
    }
    default:
      return null;
  }
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types
export function createEmailActivities({ db, mailer, mail, clock, links }: ActivityDeps) {
  /** Mints (or finds, on a retry) the email's link and returns its URL; null without one. */
  async function responseUrl(
    request: QueueEmailRequest,
    messageId: string,
  ): Promise<string | null> {
    const spec = linkSpec(request.message);
    if (!spec || !links) return null;
    const expiresAt = new Date(spec.expiresAt);
    if (Number.isNaN(expiresAt.getTime())) return null;
    const round =
      spec.round === 'current'
        ? ((await currentOfferRound(db, request.disputeId)) ?? 1)
        : spec.round;
    const link = await mintLink(
      db,
      {
        messageId,
        disputeId: request.disputeId,
        round,
        purpose: spec.purpose,
        expiresAt,
        offer: spec.offer,
      },
      clock(),
    );
    const token = signLinkToken(links.keys, {
      linkId: link.id,
      disputeId: link.disputeId,
      round: link.round,
      exp: Math.floor(link.expiresAt.getTime() / 1000),
    });
    return `${links.publicUrl}/respond/${token}`;
  }

  return {
    /** Renders and stores the message; returns its Message-ID. Idempotent: the first row wins. */
    async queueEmail(request: QueueEmailRequest): Promise<string> {
      const { disputeId, step, locale, message } = request;
      const headers = permanent(`step ${step} of ${disputeId}`, () =>
        threadHeaders(disputeId, step, mail.domain),
      );
      const id = headers.messageId;
      const to = checkedRecipient(request.to, id);
      const url = await responseUrl(request, id);
      const rendered = permanent(`cannot render ${message.kind} ${id}`, () =>
        renderEmail(message, locale, {
          ...(request.timeZone ? { timeZone: request.timeZone } : {}),
          ...(url ? { responseUrl: url } : {}),
        }),
      );
      await insertOutboxMessage(
        db,
        {
          id,
          disputeId,
          kind: message.kind,
          to,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          inReplyTo: headers.inReplyTo,
        },
        clock(),
      );
      return id;
    },

    /**
     * Sends a queued message unless it was already sent. Connection failures are retried by
     * Temporal with backoff; a final rejection marks the row failed and is not retried.
     */
    async deliverEmail(messageId: string): Promise<void> {
      const row = await findOutboxMessage(db, messageId);
      if (row.status === 'sent') {
        log.debug('email already sent', { messageId });
        return;
      }
      if (row.status === 'failed') throw rejected(messageId, row.lastError);
      // Only a Temporal retry may take over a `sending` row: Temporal retries once it gave the
      // earlier attempt up; a first attempt that finds one has a duplicate call running beside it.
      if (row.status === 'sending' && activityInfo().attempt === 1) throw inProgress(messageId);
      const to = checkedRecipient(JSON.parse(row.toAddress) as Contact, messageId);

      // Compare-and-set on attempts: of two attempts that read the same row, one sends.
      if (!(await claimOutboxMessage(db, row))) {
        const now = await findOutboxMessage(db, messageId);
        if (now.status === 'sent') return;
        if (now.status === 'failed') throw rejected(messageId, now.lastError);
        throw inProgress(messageId);
      }
      const attempts = row.attempts + 1;

      try {
        await mailer.sendMail({
          from: mail.from,
          // An address object, never a concatenated string: names cannot inject headers.
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
          await settleOutboxMessage(db, row, {
            status: 'failed',
            at: clock(),
            lastError,
            details: { to: to.email, attempts, error: lastError },
          });
          log.error('email rejected by the SMTP server', { messageId, error: lastError });
          throw rejected(messageId, lastError, error as Error);
        }
        await releaseOutboxMessage(db, messageId, lastError);
        log.warn('email delivery failed; Temporal retries', {
          messageId,
          attempts,
          error: lastError,
        });
        throw error;
      }

      // The server has the message now; if this write fails, the retry sends it again with the
      // same Message-ID (at least once), which receiving mail systems recognise as one message.
      // lastError stays: it tells why a message that went out late was late.
      await settleOutboxMessage(db, row, {
        status: 'sent',
        at: clock(),
        details: { to: to.email, attempts },
      });
      log.info('email sent', { messageId, kind: row.kind, attempts });
    },

    /**
     * A message no attempt delivered within its three days: `failed` in the outbox with an
     * `email_failed` event on the timeline, for a manager to see and resend. Nothing when it went
     * out or failed already (a late attempt may have sent it).
     */
    async markEmailUndeliverable(messageId: string): Promise<void> {
      const row = await findOutboxMessage(db, messageId);
      if (row.status === 'sent' || row.status === 'failed') return;
      const lastError = `not delivered within 3 days${row.lastError ? `: ${row.lastError}` : ''}`;
      await settleOutboxMessage(db, row, {
        status: 'failed',
        at: clock(),
        lastError,
        details: { attempts: row.attempts, error: lastError },
      });
      log.warn('email undeliverable', { messageId, attempts: row.attempts });
    },
  };
}

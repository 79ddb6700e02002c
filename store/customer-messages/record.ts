// A customer's message (email reply or response-page note) lands once: matched to its dispute,
// kept with a timeline event and a notification to the assignee in one transaction; kept for
// review when no dispute matches. The dedup key (the email's Message-ID) makes a redelivery a no-op.
import { createHash, randomUUID } from 'node:crypto';
import type { Contact } from '../../domain/dispute';
import type { Locale } from '../../domain/notifications';
import type { Db, Tx } from '../db';
import { isUniqueViolation } from '../errors';

export interface MessageCandidate {
  disputeId: string;
  matchedBy: 'in_reply_to' | 'references' | 'subject' | 'page' | 'manual';
}

export interface IncomingMessage {
  dedupKey: string;
  channel: 'email' | 'web';
  /** Tried in order; the first naming a dispute that exists wins. */
  candidates: readonly MessageCandidate[];
  fromAddress: string;
  fromName: string | null;
  subject: string;
  text: string;
  /** Already sanitised. */
  html: string | null;
  attachments: readonly { name: string; size: number; contentType: string }[];
  receivedAt: Date;
  /** Decides whether the sender is unexpected for the matched dispute. */
  isUnexpectedSender(contactEmail: string, customerEmail: string): boolean;
}

/** What the notification to the assignee is built from. */
export interface NotificationFacts {
  messageRowId: string;
  dispute: {
    id: string;
    invoiceId: string;
    customerName: string;
    assignee: string | null;
    escalationLevel: number;
    locale: Locale;
  };
  message: IncomingMessage & { flagged: boolean };
}

export interface RenderedNotification {
  messageId: string;
  inReplyTo: string | null;
  kind: string;
  to: Contact;
  subject: string;
  text: string;
  html: string;
}

export type Notify = (facts: NotificationFacts) => RenderedNotification;

export type RecordOutcome =
  | { status: 'duplicate'; id: string }
  | { status: 'recorded'; id: string; disputeId: string | null; flagged: boolean };

const EXCERPT = 600;

/** A stable dedup key for a message that came without a Message-ID: its content. */
export const contentKey = (raw: Buffer | string): string =>
  `sha256:${createHash('sha256').update(raw).digest('hex')}`;

async function matchDispute(db: Db | Tx, candidates: readonly MessageCandidate[]) {
  if (candidates.length === 0) return null;
  const rows = await db.dispute.findMany({
    where: { id: { in: candidates.map((c) => c.disputeId) } },
    select: {
      id: true,
      invoiceId: true,
      contactEmail: true,
      assignee: true,
      escalationLevel: true,
      customer: { select: { name: true, email: true, locale: true } },
    },
  });
  for (const candidate of candidates) {
    const row = rows.find((r) => r.id === candidate.disputeId);
    if (row) return { row, matchedBy: candidate.matchedBy };
  }
  return null;
}

type Matched = NonNullable<Awaited<ReturnType<typeof matchDispute>>>;

async function attach(
  tx: Tx,
  id: string,
  message: IncomingMessage,
  matched: Matched,
  flagged: boolean,
  notify: Notify,
  now: Date,
): Promise<void> {
  const { row } = matched;
  await tx.disputeEvent.create({
    data: {
      disputeId: row.id,
      key: `message:${id}`,
      at: message.receivedAt,
      type: 'customer_message',
      actor: `customer:${message.fromAddress}`,
      data: JSON.stringify({
        messageId: id,
        channel: message.channel,
        from: message.fromAddress,
        subject: message.subject,
        excerpt: message.text.slice(0, EXCERPT),
        flagged,
        attachments: message.attachments.map((a) => ({ name: a.name, size: a.size })),
      }),
    },
  });
  const notification = notify({
    messageRowId: id,
    dispute: {
      id: row.id,
      invoiceId: row.invoiceId,
      customerName: row.customer.name,
      assignee: row.assignee,
      escalationLevel: row.escalationLevel,
      locale: row.customer.locale === 'fr' ? 'fr' : 'en',
    },
    message: { ...message, flagged },
  });
  await tx.outboxMessage.create({
    data: {
      id: notification.messageId,
      disputeId: row.id,
      kind: notification.kind,
      toAddress: JSON.stringify(notification.to),
      subject: notification.subject,
      text: notification.text,
      html: notification.html,
      inReplyTo: notification.inReplyTo,
      relay: true,
      nextAttemptAt: now,
      createdAt: now,
    },
  });
  await tx.disputeEvent.create({
    data: {
      disputeId: row.id,
      key: `email:${notification.messageId}`,
      at: now,
      type: 'email_queued',
      actor: 'system',
      data: JSON.stringify({
        kind: notification.kind,
        to: notification.to.email,
        subject: notification.subject,
        messageId: notification.messageId,
      }),
    },
  });
}

export async function recordCustomerMessage(
  db: Db,
  message: IncomingMessage,
  notify: Notify,
  now: Date,
): Promise<RecordOutcome> {
  const existing = await db.customerMessage.findUnique({
    where: { dedupKey: message.dedupKey },
    select: { id: true },
  });
  if (existing) return { status: 'duplicate', id: existing.id };
  const matched = await matchDispute(db, message.candidates);
  const flagged = matched
    ? message.isUnexpectedSender(matched.row.contactEmail, matched.row.customer.email)
    : false;
  const id = randomUUID();
  try {
    await db.$transaction(async (tx) => {
      await tx.customerMessage.create({
        data: {
          id,
          dedupKey: message.dedupKey,
          channel: message.channel,
          disputeId: matched?.row.id ?? null,
          matchedBy: matched?.matchedBy ?? null,
          fromAddress: message.fromAddress,
          fromName: message.fromName,
          subject: message.subject,
          text: message.text,
          html: message.html,
          attachments: JSON.stringify(message.attachments),
          flagged,
          receivedAt: message.receivedAt,
        },
      });
      if (matched) await attach(tx, id, message, matched, flagged, notify, now);
    });
  } catch (error) {
    // The same message delivered twice at once: the other delivery recorded it.
    if (isUniqueViolation(error)) {
      const raced = await db.customerMessage.findUnique({
        where: { dedupKey: message.dedupKey },
        select: { id: true },
      });
      if (raced) return { status: 'duplicate', id: raced.id };
    }
    throw error;
  }
  return { status: 'recorded', id, disputeId: matched?.row.id ?? null, flagged };
}

/** A reviewer files an unmatched message under a dispute: timeline and notification follow. */
export async function fileCustomerMessage(
  db: Db,
  id: string,
  disputeId: string,
  notify: Notify,
  now: Date,
): Promise<'filed' | 'not_found' | 'no_dispute' | 'already_filed'> {
  const row = await db.customerMessage.findUnique({ where: { id } });
  if (!row) return 'not_found';
  if (row.disputeId) return 'already_filed';
  const matched = await matchDispute(db, [{ disputeId, matchedBy: 'manual' }]);
  if (!matched) return 'no_dispute';
  const message: IncomingMessage = {
    dedupKey: row.dedupKey,
    channel: row.channel as IncomingMessage['channel'],
    candidates: [],
    fromAddress: row.fromAddress,
    fromName: row.fromName,
    subject: row.subject,
    text: row.text,
    html: row.html,
    attachments: JSON.parse(row.attachments) as IncomingMessage['attachments'],
    receivedAt: row.receivedAt,
    isUnexpectedSender: () => false,
  };
  return db.$transaction(async (tx) => {
    const claimed = await tx.customerMessage.updateMany({
      where: { id, disputeId: null },
      data: { disputeId, matchedBy: 'manual', flagged: false },
    });
    if (claimed.count === 0) return 'already_filed' as const;
    await attach(tx, id, message, matched, false, notify, now);
    return 'filed' as const;
  });
}

export interface CustomerMessageView {
  id: string;
  channel: string;
  disputeId: string | null;
  matchedBy: string | null;
  from: string;
  fromName: string | null;
  subject: string;
  text: string;
  html: string | null;
  attachments: { name: string; size: number; contentType: string }[];
  flagged: boolean;
  receivedAt: string;
}

export async function listCustomerMessages(
  db: Db,
  query: { disputeId?: string; unmatched?: boolean; limit: number },
): Promise<CustomerMessageView[]> {
  const rows = await db.customerMessage.findMany({
    where: {
      ...(query.disputeId ? { disputeId: query.disputeId } : {}),
      ...(query.unmatched ? { disputeId: null } : {}),
    },
    orderBy: [{ receivedAt: 'desc' }, { id: 'asc' }],
    take: query.limit,
  });
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    disputeId: r.disputeId,
    matchedBy: r.matchedBy,
    from: r.fromAddress,
    fromName: r.fromName,
    subject: r.subject,
    text: r.text,
    html: r.html,
    attachments: JSON.parse(r.attachments) as CustomerMessageView['attachments'],
    flagged: r.flagged,
    receivedAt: r.receivedAt.toISOString(),
  }));
}

// Customer links and answers in the database: minted when a customer email is queued (one per
// email, so a retried render finds the same link), read by the response page, and the one answer
// per round that the page may send into the workflow.
import { createHash } from 'node:crypto';
import type { Db, Prisma } from '../db';
import { isUniqueViolation } from '../errors';

export type LinkPurpose = 'answer' | 'inform';

export interface LinkRow {
  id: string;
  disputeId: string;
  round: number;
  purpose: LinkPurpose;
  expiresAt: Date;
  /** What the email proposed (`{proposal, respondBy}`), for answer links. */
  offer: unknown;
  usedAt: Date | null;
}

/** The link id follows from the email's Message-ID: the same email always carries the same link. */
export const linkIdFor = (messageId: string): string =>
  `lnk_${createHash('sha256').update(`customer-link:${messageId}`).digest('hex').slice(0, 24)}`;

export async function mintLink(
  db: Db,
  input: {
    messageId: string;
    disputeId: string;
    round: number;
    purpose: LinkPurpose;
    expiresAt: Date;
    offer: unknown;
  },
  now: Date,
): Promise<LinkRow> {
  const id = linkIdFor(input.messageId);
  const existing = await findLink(db, id);
  if (existing) return existing;
  try {
    await db.customerLink.create({
      data: {
        id,
        disputeId: input.disputeId,
        round: input.round,
        purpose: input.purpose,
        messageId: input.messageId,
        expiresAt: input.expiresAt,
        offer: input.offer === null ? null : JSON.stringify(input.offer),
        createdAt: now,
      },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  return (await findLink(db, id))!;
}

export async function findLink(db: Db, id: string): Promise<LinkRow | null> {
  const row = await db.customerLink.findUnique({ where: { id } });
  if (!row) return null;
  return {
    id: row.id,
    disputeId: row.disputeId,
    round: row.round,
    purpose: row.purpose as LinkPurpose,
    expiresAt: row.expiresAt,
    offer: row.offer === null ? null : (JSON.parse(row.offer) as unknown),
    usedAt: row.usedAt,
  };
}

/** The round of the offer the read model shows, or null without one. */
export async function currentOfferRound(db: Db, disputeId: string): Promise<number | null> {
  const row = await db.dispute.findUnique({ where: { id: disputeId }, select: { offer: true } });
  if (!row?.offer) return null;
  const round = (JSON.parse(row.offer) as { round?: unknown }).round;
  return typeof round === 'number' ? round : null;
}

export type AnswerStatus = 'pending' | 'applied' | 'refused';

export interface AnswerRow {
  disputeId: string;
  round: number;
  linkId: string;
  accepted: boolean;
  comment: string | null;
  status: AnswerStatus;
  createdAt: Date;
  settledAt: Date | null;
}

export async function findAnswer(
  db: Db,
  disputeId: string,
  round: number,
): Promise<AnswerRow | null> {
  const row = await db.customerAnswer.findUnique({
    where: { disputeId_round: { disputeId, round } },
  });
  return row ? { ...row, status: row.status as AnswerStatus } : null;
}

/**
 * Records the customer's answer to a round as pending, once: the first answer wins. Returns the
 * answer that holds the round (this one, or the one recorded before).
 */
export async function claimAnswer(
  db: Db,
  answer: {
    disputeId: string;
    round: number;
    linkId: string;
    accepted: boolean;
    comment: string | null;
  },
  now: Date,
): Promise<{ answer: AnswerRow; created: boolean }> {
  try {
    await db.customerAnswer.create({
      data: { ...answer, status: 'pending', createdAt: now },
    });
    return { answer: (await findAnswer(db, answer.disputeId, answer.round))!, created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return { answer: (await findAnswer(db, answer.disputeId, answer.round))!, created: false };
  }
}

/** The workflow took the answer (applied) or the phase no longer allowed it (refused). */
export async function settleAnswer(
  db: Db,
  answer: Pick<AnswerRow, 'disputeId' | 'round' | 'linkId'>,
  status: Exclude<AnswerStatus, 'pending'>,
  now: Date,
): Promise<void> {
  await db.$transaction([
    db.customerAnswer.updateMany({
      where: { disputeId: answer.disputeId, round: answer.round, status: 'pending' },
      data: { status, settledAt: now },
    }),
    ...(status === 'applied'
      ? [
          db.customerLink.updateMany({
            where: { id: answer.linkId, usedAt: null },
            data: { usedAt: now },
          }),
        ]
      : []),
  ]);
}

const PAGE_SELECT = {
  id: true,
  invoiceId: true,
  currency: true,
  phase: true,
  lineIds: true,
  contactName: true,
  contactEmail: true,
  workflowId: true,
  internal: true,
  customer: { select: { name: true, locale: true } },
  findings: { orderBy: { position: 'asc' } },
} satisfies Prisma.DisputeSelect;

export type PageFacts = Prisma.DisputeGetPayload<{ select: typeof PAGE_SELECT }>;

/** What the response page shows about a dispute; nothing about any other. */
export async function pageFacts(db: Db, disputeId: string): Promise<PageFacts | null> {
  return db.dispute.findUnique({ where: { id: disputeId }, select: PAGE_SELECT });
}

const LINE_SELECT = {
  id: true,
  sku: true,
  quantity: true,
  unitPrice: true,
  lineTotal: true,
} satisfies Prisma.InvoiceLineSelect;
export type PageLine = Prisma.InvoiceLineGetPayload<{ select: typeof LINE_SELECT }>;

export async function invoiceLines(db: Db, invoiceId: string): Promise<PageLine[]> {
  return db.invoiceLine.findMany({
    where: { invoiceId },
    orderBy: { position: 'asc' },
    select: LINE_SELECT,
  });
}

export async function notesOfLink(
  db: Db,
  disputeId: string,
  linkId: string,
): Promise<{ text: string; receivedAt: Date }[]> {
  return db.customerMessage.findMany({
    where: { disputeId, channel: 'web', dedupKey: { startsWith: `web:${linkId}:` } },
    orderBy: { receivedAt: 'asc' },
    select: { text: true, receivedAt: true },
  });
}

// The emails of a dispute, as the outbox holds them: what was sent to whom, and whether it arrived.
import type { Db } from '../db';

export interface DisputeEmail {
  id: string;
  kind: string;
  to: string;
  subject: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** Oldest first; null when the dispute does not exist. */
export async function listDisputeEmails(db: Db, disputeId: string): Promise<DisputeEmail[] | null> {
  const dispute = await db.dispute.findUnique({ where: { id: disputeId }, select: { id: true } });
  if (!dispute) return null;
  const rows = await db.outboxMessage.findMany({
    where: { disputeId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      kind: true,
      toAddress: true,
      subject: true,
      status: true,
      attempts: true,
      lastError: true,
      createdAt: true,
      sentAt: true,
    },
  });
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    to: r.toAddress,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
  }));
}

// The delivery queue: which deliveries are due (the head of each stream only, so one endpoint hears
// one dispute's events in order), leases that keep two dispatchers from sending the same delivery,
// the attempt log, and the operator's redeliver.
import { retryDelayMs } from '../../domain/webhooks';
import type { Db, Prisma } from '../db';

/** pending → delivering (leased) → delivered | pending (retry) | failed (gave up); cancelled. */
export type DeliveryStatus = 'pending' | 'delivering' | 'delivered' | 'failed' | 'cancelled';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'delivering',
  'delivered',
  'failed',
  'cancelled',
];

export interface ClaimedDelivery {
  id: string;
  stream: string;
  attempt: number;
  giveUpAt: Date;
  url: string;
  secret: string;
  event: { id: string; type: string; createdAt: Date; data: string };
}

const withEndpointAndEvent = {
  endpoint: { select: { url: true, secret: true, deletedAt: true } },
  event: { select: { id: true, type: true, createdAt: true, data: true } },
} satisfies Prisma.WebhookDeliveryInclude;

/**
 * Ids of due deliveries that head their stream: pending (or with a lapsed lease) and due, with no
 * earlier delivery of the same stream still waiting. Raw SQL for the correlated NOT EXISTS; the
 * same text runs on SQLite and PostgreSQL.
 */
export async function dueHeads(
  db: Db,
  nowMs: number,
  limit: number,
): Promise<{ id: string; stream: string }[]> {
  return db.$queryRaw<{ id: string; stream: string }[]>`
    SELECT d."id", d."stream" FROM "WebhookDelivery" d
    WHERE d."status" IN ('pending', 'delivering') AND d."nextAttemptAt" <= ${BigInt(nowMs)}
      AND NOT EXISTS (
        SELECT 1 FROM "WebhookDelivery" p
        WHERE p."stream" = d."stream" AND p."eventSeq" < d."eventSeq"
          AND p."status" IN ('pending', 'delivering'))
    ORDER BY d."eventSeq"
    LIMIT ${limit}`;
}

/** The next waiting delivery of a stream, if it heads the stream now and is due. */
export async function nextInStream(db: Db, stream: string, nowMs: number): Promise<string | null> {
  const head = await db.webhookDelivery.findFirst({
    where: { stream, status: { in: ['pending', 'delivering'] } },
    orderBy: { eventSeq: 'asc' },
    select: { id: true, nextAttemptAt: true },
  });
  return head && head.nextAttemptAt <= BigInt(nowMs) ? head.id : null;
}

/**
 * Takes the delivery for one attempt (compare-and-set on status and due time, so of two
 * dispatchers one wins) and leases it until `leaseUntilMs`; null when another took it first.
 */
export async function claimDelivery(
  db: Db,
  id: string,
  nowMs: number,
  leaseUntilMs: number,
): Promise<ClaimedDelivery | null> {
  // Only one claimer can move a due delivery's time into the future: that is the lease.
  const claimed = await db.webhookDelivery.updateMany({
    where: {
      id,
      status: { in: ['pending', 'delivering'] },
      nextAttemptAt: { lte: BigInt(nowMs) },
    },
    data: {
      status: 'delivering',
      nextAttemptAt: BigInt(leaseUntilMs),
      attempts: { increment: 1 },
    },
  });
  if (claimed.count === 0) return null;
  const row = await db.webhookDelivery.findUnique({ where: { id }, include: withEndpointAndEvent });
  if (!row) return null;
  if (row.endpoint.deletedAt) {
    await db.webhookDelivery.updateMany({
      where: { id, status: 'delivering' },
      data: { status: 'cancelled' },
    });
    return null;
  }
  return {
    id,
    stream: row.stream,
    attempt: row.attempts,
    giveUpAt: row.giveUpAt,
    url: row.endpoint.url,
    secret: row.endpoint.secret,
    event: row.event,
  };
}

export interface AttemptOutcome {
  at: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  delivered: boolean;
}

/** Logs the attempt and moves the delivery on: delivered, retried later, or given up. */
export async function settleAttempt(
  db: Db,
  delivery: ClaimedDelivery,
  outcome: AttemptOutcome,
  jitter: number,
): Promise<DeliveryStatus> {
  const atMs = outcome.at.getTime();
  const retryAt = atMs + retryDelayMs(delivery.attempt, jitter);
  const status: DeliveryStatus = outcome.delivered
    ? 'delivered'
    : retryAt > delivery.giveUpAt.getTime()
      ? 'failed'
      : 'pending';
  // Two writes, not a transaction: a crash between them leaves the lease to lapse and the
  // delivery to be attempted again (at least once), with this attempt already in the log.
  await db.webhookAttempt.create({
    data: {
      deliveryId: delivery.id,
      number: delivery.attempt,
      at: outcome.at,
      statusCode: outcome.statusCode,
      latencyMs: outcome.latencyMs,
      error: outcome.error,
    },
  });
  // Only while this attempt still holds the lease: a redeliver meanwhile wins.
  await db.webhookDelivery.updateMany({
    where: { id: delivery.id, status: 'delivering', attempts: delivery.attempt },
    data: {
      status,
      nextAttemptAt: BigInt(status === 'pending' ? retryAt : atMs),
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      ...(outcome.delivered ? { deliveredAt: outcome.at } : {}),
    },
  });
  return status;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  disputeId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  giveUpAt: string;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  log: {
    number: number;
    at: string;
    statusCode: number | null;
    latencyMs: number;
    error: string | null;
  }[];
}

const listInclude = {
  event: { select: { id: true, type: true, disputeId: true } },
  log: { orderBy: { id: 'asc' } },
} satisfies Prisma.WebhookDeliveryInclude;

type ListRow = Prisma.WebhookDeliveryGetPayload<{ include: typeof listInclude }>;

function deliveryView(row: ListRow): DeliveryView {
  const waiting = row.status === 'pending' || row.status === 'delivering';
  return {
    id: row.id,
    eventId: row.event.id,
    eventType: row.event.type,
    disputeId: row.event.disputeId,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: waiting ? new Date(Number(row.nextAttemptAt)).toISOString() : null,
    giveUpAt: row.giveUpAt.toISOString(),
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    log: row.log.map((a) => ({
      number: a.number,
      at: a.at.toISOString(),
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error,
    })),
  };
}

/** Newest first, keyset-paginated by event sequence. */
export async function listDeliveries(
  db: Db,
  endpointId: string,
  query: { status?: DeliveryStatus; limit: number; beforeSeq?: number },
): Promise<{ items: DeliveryView[]; nextBeforeSeq: number | null }> {
  const rows = await db.webhookDelivery.findMany({
    where: {
      endpointId,
      ...(query.status ? { status: query.status } : {}),
      ...(query.beforeSeq !== undefined ? { eventSeq: { lt: query.beforeSeq } } : {}),
    },
    orderBy: { eventSeq: 'desc' },
    take: query.limit + 1,
    include: listInclude,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(deliveryView),
    nextBeforeSeq: rows.length > query.limit && last ? last.eventSeq : null,
  };
}

export async function findDelivery(
  db: Db,
  endpointId: string,
  id: string,
): Promise<DeliveryView | null> {
  const row = await db.webhookDelivery.findFirst({
    where: { id, endpointId },
    include: listInclude,
  });
  return row ? deliveryView(row) : null;
}

/**
 * Queues deliveries again, due now, with a fresh three-day window; the receiver deduplicates by
 * event id. A delivery being attempted right now is left to finish. Returns how many were queued.
 */
export async function redeliver(
  db: Db,
  where: { endpointId: string; ids?: readonly string[]; statuses: readonly DeliveryStatus[] },
  now: Date,
  retryWindowMs: number,
): Promise<number> {
  const result = await db.webhookDelivery.updateMany({
    where: {
      endpointId: where.endpointId,
      ...(where.ids ? { id: { in: [...where.ids] } } : {}),
      status: { in: where.statuses.filter((s) => s !== 'delivering') },
    },
    data: {
      status: 'pending',
      nextAttemptAt: BigInt(now.getTime()),
      giveUpAt: new Date(now.getTime() + retryWindowMs),
    },
  });
  return result.count;
}

// Webhook endpoints: registered by a manager, listed without their secrets, deleted softly so the
// delivery log stays readable (their pending deliveries are cancelled).
import type { WebhookEventType } from '../../domain/webhooks';
import type { Db } from '../db';
import { newId, newSigningSecret } from './ids';

export interface WebhookEndpointView {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  createdBy: string;
  createdAt: string;
}

type Row = {
  id: string;
  url: string;
  events: string;
  description: string | null;
  createdBy: string;
  createdAt: Date;
};

const view = (row: Row): WebhookEndpointView => ({
  id: row.id,
  url: row.url,
  events: JSON.parse(row.events) as WebhookEventType[],
  description: row.description,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
});

const PUBLIC = {
  id: true,
  url: true,
  events: true,
  description: true,
  createdBy: true,
  createdAt: true,
} as const;

export async function createEndpoint(
  db: Db,
  input: { url: string; events: readonly WebhookEventType[]; description: string | null },
  createdBy: string,
  now: Date,
): Promise<WebhookEndpointView & { secret: string }> {
  const secret = newSigningSecret();
  const row = await db.webhookEndpoint.create({
    data: {
      id: newId('whk'),
      url: input.url,
      events: JSON.stringify(input.events),
      description: input.description,
      secret,
      createdBy,
      createdAt: now,
    },
    select: PUBLIC,
  });
  return { ...view(row), secret };
}

export async function listEndpoints(db: Db): Promise<WebhookEndpointView[]> {
  const rows = await db.webhookEndpoint.findMany({
    where: { deletedAt: null },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: PUBLIC,
  });
  return rows.map(view);
}

export async function findEndpoint(db: Db, id: string): Promise<WebhookEndpointView | null> {
  const row = await db.webhookEndpoint.findFirst({
    where: { id, deletedAt: null },
    select: PUBLIC,
  });
  return row ? view(row) : null;
}

/** False when there was no such endpoint (or it was deleted before). */
export async function deleteEndpoint(db: Db, id: string, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const deleted = await tx.webhookEndpoint.updateMany({
      where: { id, deletedAt: null },
      data: { deletedAt: now },
    });
    if (deleted.count === 0) return false;
    await tx.webhookDelivery.updateMany({
      where: { endpointId: id, status: { in: ['pending', 'delivering'] } },
      data: { status: 'cancelled' },
    });
    return true;
  });
}

// Writes a webhook event and one delivery per subscribed endpoint, inside the caller's transaction:
// the event exists exactly when what it reports was committed (a transactional outbox).
import { WEBHOOK_RETRY_WINDOW_MS, type WebhookEventInput } from '../../domain/webhooks';
import type { Tx } from '../db';
import { newId } from './ids';

/** Deliveries of one stream go out in event order: one endpoint, one dispute. */
export const streamOf = (endpointId: string, disputeId: string | null, eventId: string): string =>
  `${endpointId}|${disputeId ?? eventId}`;

export async function recordWebhookEvent(
  tx: Tx,
  event: WebhookEventInput,
  at: Date,
): Promise<string> {
  const disputeId = event.data.disputeId;
  const id = newId('evt');
  const created = await tx.webhookEvent.create({
    data: { id, type: event.type, disputeId, data: JSON.stringify(event.data), createdAt: at },
    select: { seq: true },
  });
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { deletedAt: null },
    select: { id: true, events: true },
  });
  const subscribed = endpoints.filter((e) =>
    (JSON.parse(e.events) as string[]).includes(event.type),
  );
  if (subscribed.length > 0) {
    await tx.webhookDelivery.createMany({
      data: subscribed.map((endpoint) => ({
        id: newId('dlv'),
        endpointId: endpoint.id,
        eventSeq: created.seq,
        stream: streamOf(endpoint.id, disputeId, id),
        status: 'pending',
        nextAttemptAt: BigInt(at.getTime()),
        giveUpAt: new Date(at.getTime() + WEBHOOK_RETRY_WINDOW_MS),
        createdAt: at,
      })),
    });
  }
  return id;
}

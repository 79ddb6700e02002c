// The dispute's append-only timeline: one row per event, unique by key, so a retried write of
// the same event adds nothing.
import type { Actor } from '../../domain/dispute';
import type { Db } from '../db';

export interface DisputeEvent {
  disputeId: string;
  /** Unique per event; a second write with the same key writes nothing. */
  key: string;
  at: Date;
  type: string;
  actor: Actor;
  data: Record<string, unknown>;
}

/** Appends the event unless one with its key exists. */
export async function recordDisputeEvent(db: Db, event: DisputeEvent): Promise<void> {
  await db.disputeEvent.upsert({
    where: { key: event.key },
    update: {},
    create: {
      disputeId: event.disputeId,
      key: event.key,
      at: event.at,
      type: event.type,
      actor: event.actor,
      data: JSON.stringify(event.data),
    },
  });
}

/** The data of the event with this key, or null when there is none. */
export async function disputeEventData(
  db: Db,
  key: string,
): Promise<Record<string, unknown> | null> {
  const row = await db.disputeEvent.findUnique({ where: { key }, select: { data: true } });
  return row ? (JSON.parse(row.data) as Record<string, unknown>) : null;
}

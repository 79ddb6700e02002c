// Note bodies, kept out of the workflow's history (a note may hold 10,000 characters, and a
// dispute any number of notes): the workflow's timeline event names the note by id.
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../db';

export interface NoteRecord {
  id: string;
  disputeId: string;
  author: string;
  text: string;
  createdAt: Date;
}

/** A note's id: derived from the client's Idempotency-Key, so a retry names the same note. */
export function noteId(disputeId: string, idempotencyKey?: string): string {
  if (idempotencyKey === undefined) return `N-${randomUUID()}`;
  return `N-${createHash('sha256').update(`${disputeId}\u0000${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

/** Stores the note unless its id exists (a retry): the first body is the one kept. */
export async function saveNote(db: Db, note: NoteRecord): Promise<void> {
  await db.note.upsert({ where: { id: note.id }, update: {}, create: note });
}

// Ledger rows in the database: document numbers, postings with their entries, adjustments as DTOs.
import { randomUUID } from 'node:crypto';
import { formatDocumentNumber, type AdjustmentDto } from '../../domain/ledger/correction';
import type { KeyedPosting } from '../../domain/ledger/documents';
import { money, toMoneyDto } from '../../domain/money';
import type { Db, Prisma, Tx } from '../db';

export const adjustmentWithInstallments = {
  installments: { orderBy: { number: 'asc' } },
} satisfies Prisma.AdjustmentInclude;

export type AdjustmentRow = Prisma.AdjustmentGetPayload<{
  include: typeof adjustmentWithInstallments;
}>;

export function toAdjustmentDto(row: AdjustmentRow): AdjustmentDto {
  const dto: AdjustmentDto = {
    id: row.id,
    kind: row.kind,
    documentNumber: row.documentNumber,
    amount: toMoneyDto(money(row.amount, row.currency)),
    tax: toMoneyDto(money(row.tax, row.currency)),
    createdAt: row.createdAt.toISOString(),
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
  if (row.installments.length > 0) {
    dto.installments = row.installments.map((i) => ({
      number: i.number,
      dueAt: i.dueAt,
      amount: toMoneyDto(money(i.amount, i.currency)),
      status: i.status,
    }));
  }
  return dto;
}

/** The adjustments with these idempotency keys, in the keys' order. */
export async function findAdjustments(
  db: Db | Tx,
  keys: readonly string[],
): Promise<AdjustmentDto[]> {
  const rows = await db.adjustment.findMany({
    where: { idempotencyKey: { in: [...keys] } },
    include: adjustmentWithInstallments,
  });
  return rows
    .sort((a, b) => keys.indexOf(a.idempotencyKey) - keys.indexOf(b.idempotencyKey))
    .map(toAdjustmentDto);
}

/**
 * The next number of a document sequence. One atomic upsert on both databases: as a
 * transaction's first write it takes the row's lock (PostgreSQL) or the write lock (SQLite)
 * before anything is read, so concurrent issuers queue here and a rollback leaves no gap.
 */
export async function nextDocumentNumber(tx: Tx, prefix: string): Promise<string> {
  const rows = await tx.$queryRaw<{ last: number | bigint }[]>`
    INSERT INTO "DocumentSequence" ("prefix", "last") VALUES (${prefix}, 1)
    ON CONFLICT ("prefix") DO UPDATE SET "last" = "DocumentSequence"."last" + 1
    RETURNING "last"`;
  const last = rows[0]?.last;
  if (last === undefined) throw new Error(`document sequence ${prefix} returned no number`);
  return formatDocumentNumber(prefix, Number(last));
}

/** Writes a posting and its entries (every entry tagged with the posting's customer). */
export async function writePosting(
  tx: Tx,
  posting: KeyedPosting,
  adjustmentId: string | null,
  postedAt: Date,
): Promise<string> {
  const id = randomUUID();
  await tx.ledgerPosting.create({
    data: {
      id,
      idempotencyKey: posting.key,
      customerId: posting.customerId,
      adjustmentId,
      description: posting.description,
      postedAt,
      entries: {
        create: posting.lines.map((line) => ({
          account: line.account,
          customerId: posting.customerId,
          amount: line.amount,
          currency: posting.currency,
        })),
      },
    },
  });
  return id;
}

/** Writes many postings without an adjustment in two statements (imports post hundreds at once). */
export async function writePostings(
  tx: Tx,
  postings: readonly KeyedPosting[],
  postedAt: Date,
): Promise<void> {
  if (postings.length === 0) return;
  const withIds = postings.map((posting) => ({ id: randomUUID(), posting }));
  await tx.ledgerPosting.createMany({
    data: withIds.map(({ id, posting }) => ({
      id,
      idempotencyKey: posting.key,
      customerId: posting.customerId,
      description: posting.description,
      postedAt,
    })),
  });
  await tx.ledgerEntry.createMany({
    data: withIds.flatMap(({ id, posting }) =>
      posting.lines.map((line) => ({
        postingId: id,
        account: line.account,
        customerId: posting.customerId,
        amount: line.amount,
        currency: posting.currency,
      })),
    ),
  });
}

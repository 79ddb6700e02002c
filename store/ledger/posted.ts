// The corrections already posted for an invoice, as the investigation and the posting guard count
// them. An invoice and the corrected invoices that replaced it (or that it replaced) are one
// family: their corrections add up, whichever of them a dispute is about.
import type { PostedCorrection, PostedKind } from '../../domain/ledger/correction-effect';
import { fromMoneyDto, type MoneyDto } from '../../domain/money';
import { inChunks } from '../bulk-upsert';
import type { Db, Tx } from '../db';

/** The line a corrected invoice carries besides the original's: the agreed change, net of tax. */
export const CORRECTION_SKU = 'CORRECTION';

export interface InvoiceFamily {
  /** The imported invoice every replacement descends from. */
  root: string;
  /** The root and every invoice Settle issued to replace one of the family, root first. */
  ids: string[];
}

/** Replacement chains are a handful of links; a longer one is a loop in bad data. */
const MAX_LINKS = 1000;

export async function invoiceFamily(db: Db | Tx, invoiceId: string): Promise<InvoiceFamily> {
  let root = invoiceId;
  for (let links = 0; links < MAX_LINKS; links += 1) {
    const row = await db.invoice.findUnique({ where: { id: root }, select: { replacesId: true } });
    if (!row?.replacesId) break;
    root = row.replacesId;
  }
  const ids = [root];
  let frontier = [root];
  while (frontier.length > 0 && ids.length < MAX_LINKS) {
    const next = await db.invoice.findMany({
      where: { replacesId: { in: frontier } },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    frontier = next.map((r) => r.id).filter((id) => !ids.includes(id));
    ids.push(...frontier);
  }
  return { root, ids };
}

function totalOf(details: Record<string, unknown>, key: string): bigint | null {
  const value = details[key] as MoneyDto | undefined;
  return value ? fromMoneyDto(value).minor : null;
}

/** The adjustments posted by disputes on these invoices, oldest first. */
export async function postedCorrections(
  db: Db | Tx,
  invoiceIds: readonly string[],
): Promise<PostedCorrection[]> {
  const rows = await db.adjustment.findMany({
    where: { dispute: { invoiceId: { in: [...invoiceIds] } } },
    select: {
      kind: true,
      documentNumber: true,
      amount: true,
      details: true,
      reverses: { select: { documentNumber: true } },
    },
    orderBy: [{ createdAt: 'asc' }, { documentNumber: 'asc' }],
  });
  return rows.map((row) => {
    const doc: PostedCorrection = {
      documentNumber: row.documentNumber,
      kind: row.kind as PostedKind,
      amount: row.amount,
    };
    if (row.kind === 'corrected_invoice') {
      const details = JSON.parse(row.details) as Record<string, unknown>;
      const voided = totalOf(details, 'originalTotal');
      const replacement = totalOf(details, 'correctedTotal');
      if (voided !== null && replacement !== null) doc.totals = { voided, replacement };
    }
    if (row.reverses) doc.reverses = row.reverses.documentNumber;
    return doc;
  });
}

/**
 * A no-op write that takes the family root's row lock (PostgreSQL; SQLite holds the database's
 * write lock already): every posting, reversal and installment match of one family queues here,
 * so each sees the others' effects.
 */
export async function lockInvoiceFamily(tx: Tx, root: string): Promise<void> {
  await tx.invoice.updateMany({
    where: { id: root, replacesId: null },
    data: { replacesId: null },
  });
}

/** lockInvoiceFamily for many roots (an import's paid invoices), a chunk a statement. */
export async function lockInvoiceFamilies(tx: Tx, roots: readonly string[]): Promise<void> {
  await inChunks(roots, async (ids) => {
    await tx.invoice.updateMany({
      where: { id: { in: ids }, replacesId: null },
      data: { replacesId: null },
    });
    return [];
  });
}

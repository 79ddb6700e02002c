// Books imported invoices and payments inside the import's transaction: once per document, and a
// reversal plus a new revision when a re-import changes one. A handful of statements per import,
// however many documents it holds.
import type { Invoice, Payment } from '../../domain/investigation/records';
import { inChunks } from '../bulk-upsert';
import { draftPosting, type LedgerLine, type PostingDraft } from '../../domain/ledger/accounts';
import {
  documentOfKey,
  invoiceDocument,
  paymentDocument,
  reviseDocument,
  revisionKey,
  type BookedPosting,
  type KeyedPosting,
} from '../../domain/ledger/documents';
import { invoiceLines, paymentLines } from '../../domain/ledger/postings';
import type { Tx } from '../db';
import { writePostings } from './rows';

function draftOrNothing(
  customerId: string,
  currency: string,
  description: string,
  lines: LedgerLine[],
): PostingDraft | null {
  return lines.some((line) => line.amount !== 0n)
    ? draftPosting(customerId, currency, description, lines)
    : null;
}

/**
 * Every posting of each document. Revisions are sequential, so instead of a prefix scan per
 * document this probes revision by revision: one query per revision level, usually two in all.
 */
async function loadDocumentPostings(
  tx: Tx,
  documents: readonly string[],
): Promise<Map<string, BookedPosting[]>> {
  const found = new Map<string, BookedPosting[]>(documents.map((d) => [d, []]));
  let probing = new Map<string, string[]>(documents.map((d) => [d, [d]]));
  for (let revision = 1; probing.size > 0; revision += 1) {
    const rows = await inChunks([...probing.values()].flat(), (keys) =>
      tx.ledgerPosting.findMany({
        where: { idempotencyKey: { in: keys } },
        include: { entries: true },
      }),
    );
    const next = new Map<string, string[]>();
    for (const row of rows) {
      const document = documentOfKey(row.idempotencyKey);
      found.get(document)?.push({
        key: row.idempotencyKey,
        lines: row.entries.map((e) => ({
          customerId: e.customerId ?? row.customerId,
          currency: e.currency,
          account: e.account,
          amount: e.amount,
        })),
      });
      if (row.idempotencyKey === revisionKey(document, revision)) {
        const current = revisionKey(document, revision);
        next.set(document, [`${current}#reversal`, revisionKey(document, revision + 1)]);
      }
    }
    probing = next;
  }
  return found;
}

/** What the books need of an invoice. */
export interface BilledInvoice {
  id: string;
  customerId: string;
  currency: string;
  total: bigint;
  tax: bigint;
}

/** Posts what the import changed in the books; voided invoices stay as their correction left them. */
export async function postBillingDocuments(
  tx: Tx,
  invoices: readonly Invoice[],
  payments: readonly Payment[],
): Promise<void> {
  await syncBillingDocuments(
    tx,
    invoices.map((i) => ({ ...i, total: i.total.minor, tax: i.tax.minor })),
    payments,
  );
}

/**
 * Brings each document's postings to its current amounts (a re-instated invoice, too: an import
 * may have changed it while it was voided). Voided invoices are left as their correction left them.
 */
export async function syncBillingDocuments(
  tx: Tx,
  invoices: readonly BilledInvoice[],
  payments: readonly Payment[],
): Promise<void> {
  const voided = new Set(
    (
      await inChunks(
        invoices.map((i) => i.id),
        (ids) =>
          tx.invoice.findMany({
            where: { id: { in: ids }, voidedById: { not: null } },
            select: { id: true },
          }),
      )
    ).map((row) => row.id),
  );
  const wanted = new Map<string, PostingDraft | null>();
  for (const invoice of invoices) {
    if (voided.has(invoice.id)) continue;
    const { customerId, currency } = invoice;
    const lines = invoiceLines({ customerId, total: invoice.total, tax: invoice.tax });
    wanted.set(
      invoiceDocument(invoice.id),
      draftOrNothing(customerId, currency, `Invoice ${invoice.id}`, lines),
    );
  }
  for (const payment of payments) {
    const lines = paymentLines(payment.customerId, payment.amount.minor);
    const draft = draftOrNothing(
      payment.customerId,
      payment.amount.currency,
      `Payment ${payment.id}`,
      lines,
    );
    wanted.set(paymentDocument(payment.id), draft);
  }
  const existing = await loadDocumentPostings(tx, [...wanted.keys()]);
  const postings: KeyedPosting[] = [...wanted].flatMap(([document, draft]) =>
    reviseDocument(document, existing.get(document) ?? [], draft),
  );
  await writePostings(tx, postings, new Date());
}

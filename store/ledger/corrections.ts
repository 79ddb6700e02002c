// Writes one correction in one transaction: its adjustments (and installments), their postings,
// and for a corrected invoice the replacement invoice and the original's void mark. The guard runs
// inside the transaction, after the invoice family is locked; a dry run checks the same way.
import { randomUUID } from 'node:crypto';
import {
  adjustmentKey,
  CorrectionError,
  DOCUMENT_PREFIXES,
  documentsOf,
  type AdjustmentDto,
  type CorrectionCheck,
  type CorrectionRequest,
} from '../../domain/ledger/correction';
import { planCorrection, type PlannedDocument } from '../../domain/ledger/correction-plan';
import { LedgerError } from '../../domain/ledger/accounts';
import type { Db, Tx } from '../db';
import { recordWebhookEvent } from '../webhooks/events';
import { loadCorrectionFacts, type InvoiceRow } from './facts';
import { matchInstallments } from './installments';
import { CORRECTION_SKU, invoiceFamily, lockInvoiceFamily } from './posted';
import { findAdjustments, nextDocumentNumber, writePosting } from './rows';

// SQLite queues transactions behind one connection and PostgreSQL behind the sequence's row lock.
export const LEDGER_TRANSACTION = { maxWait: 15_000, timeout: 30_000 };

/** Thrown inside the transaction (rolling back its sequence number) when the key is already posted. */
export class AlreadyPosted extends Error {
  override readonly name = 'AlreadyPosted';
}

export function correctionKeys(request: CorrectionRequest): string[] {
  return documentsOf(request.kind).map((kind) =>
    adjustmentKey(request.disputeId, request.step, kind),
  );
}

async function issueReplacement(
  tx: Tx,
  original: InvoiceRow,
  number: string,
  doc: PlannedDocument,
): Promise<void> {
  const replacement = doc.replacement;
  if (!replacement) return;
  const copied = original.lines.map((line, position) => ({
    id: `${number}-${position + 1}`,
    position,
    sku: line.sku,
    poLineId: line.poLineId,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    discountPercent: line.discountPercent,
    lineTotal: line.lineTotal,
  }));
  const correctionLine = {
    id: `${number}-${copied.length + 1}`,
    position: copied.length,
    sku: CORRECTION_SKU,
    poLineId: '',
    quantity: 1,
    unitPrice: replacement.correctionLine,
    discountPercent: '0',
    lineTotal: replacement.correctionLine,
  };
  // Same supply and dates as the original (contract prices apply on its date); new number and amounts.
  await tx.invoice.create({
    data: {
      id: number,
      customerId: original.customerId,
      purchaseOrderId: original.purchaseOrderId,
      issuedAt: original.issuedAt,
      dueAt: original.dueAt,
      currency: original.currency,
      taxRate: original.taxRate,
      addressLine1: original.addressLine1,
      addressCity: original.addressCity,
      addressPostalCode: original.addressPostalCode,
      addressCountry: original.addressCountry,
      subtotal: replacement.subtotal,
      tax: replacement.tax,
      total: replacement.total,
      replacesId: original.id,
      lines: { create: [...copied, correctionLine] },
    },
  });
  await tx.invoice.update({ where: { id: original.id }, data: { voidedById: number } });
}

/** Locks the invoice's family, then reads the facts and plans: every check posting makes. */
async function planLocked(
  tx: Tx,
  request: CorrectionRequest,
  now: Date,
): Promise<{ plan: PlannedDocument[]; invoiceRow: InvoiceRow }> {
  await lockInvoiceFamily(tx, (await invoiceFamily(tx, request.invoiceId)).root);
  const facts = await loadCorrectionFacts(tx, request);
  const plan = planCorrection(request, facts.invoice, facts.dispute, now.getTime(), facts.guard);
  return { plan, invoiceRow: facts.invoiceRow };
}

/** Posts the correction and returns its adjustments; throws AlreadyPosted if its key exists. */
export async function postCorrection(
  tx: Tx,
  request: CorrectionRequest,
  now: Date,
): Promise<AdjustmentDto[]> {
  const keys = correctionKeys(request);
  const first = documentsOf(request.kind)[0]!;
  // First write of the transaction: concurrent attempts queue on the sequence, then see the winner.
  const firstNumber = await nextDocumentNumber(tx, DOCUMENT_PREFIXES[first]);
  const posted = await tx.adjustment.findFirst({
    where: { idempotencyKey: { in: keys } },
    select: { id: true },
  });
  if (posted)
    throw new AlreadyPosted(`correction ${request.disputeId}/${request.step} is already posted`);

  const { plan, invoiceRow } = await planLocked(tx, request, now);
  const numbers: string[] = [];
  for (const doc of plan) {
    const number =
      numbers.length === 0
        ? firstNumber
        : await nextDocumentNumber(tx, DOCUMENT_PREFIXES[doc.kind]);
    const links =
      doc.kind === 'refund'
        ? { settles: numbers[0] }
        : doc.replacement
          ? { replacementInvoiceId: number }
          : {};
    numbers.push(number);
    const id = randomUUID();
    const key = adjustmentKey(request.disputeId, request.step, doc.kind);
    const installments = doc.installments?.map((i) => ({
      number: i.number,
      dueAt: i.dueOn,
      amount: i.amount.minor,
      currency: i.amount.currency,
    }));
    await issueReplacement(tx, invoiceRow, number, doc);
    await tx.adjustment.create({
      data: {
        id,
        disputeId: request.disputeId,
        idempotencyKey: key,
        kind: doc.kind,
        documentNumber: number,
        amount: doc.amount.minor,
        tax: doc.tax.minor,
        currency: doc.amount.currency,
        details: JSON.stringify({ ...doc.details, ...links }),
        createdAt: now,
        ...(installments ? { installments: { create: installments } } : {}),
      },
    });
    await writePosting(
      tx,
      { ...doc.posting, key, description: `${number} ${doc.posting.description}` },
      id,
      now,
    );
  }
  // Payments already recorded beyond what the invoice bills settle the new installments at once.
  if (request.kind === 'payment_plan') await matchInstallments(tx, [request.invoiceId]);
  const adjustments = await findAdjustments(tx, keys);
  await reportPosting(tx, request, adjustments, now);
  return adjustments;
}

/** adjustment.posted with every document of the correction, in the posting's transaction. */
async function reportPosting(
  tx: Tx,
  request: CorrectionRequest,
  adjustments: readonly AdjustmentDto[],
  now: Date,
): Promise<void> {
  await recordWebhookEvent(
    tx,
    {
      type: 'adjustment.posted',
      data: {
        disputeId: request.disputeId,
        customerId: request.customerId,
        invoiceId: request.invoiceId,
        documents: adjustments.map((a) => {
          const { replacementInvoiceId, settles } = a.details as {
            replacementInvoiceId?: string;
            settles?: string;
          };
          return {
            kind: a.kind,
            documentNumber: a.documentNumber,
            amount: a.amount,
            tax: a.tax,
            issuedAt: a.createdAt,
            invoiceId: request.invoiceId,
            ...(typeof replacementInvoiceId === 'string' ? { replacementInvoiceId } : {}),
            ...(typeof settles === 'string' ? { settles } : {}),
            installments: (a.installments ?? []).map((i) => ({
              number: i.number,
              dueOn: i.dueAt,
              amount: i.amount,
            })),
          };
        }),
      },
    },
    now,
  );
}

/**
 * postCorrection in its own transaction, stamped with the clock's time as the transaction starts.
 * Throws AlreadyPosted, a unique violation or a write conflict when another attempt got there first.
 */
export function commitCorrection(
  db: Db,
  request: CorrectionRequest,
  clock: () => Date,
): Promise<AdjustmentDto[]> {
  return db.$transaction((tx) => postCorrection(tx, request, clock()), LEDGER_TRANSACTION);
}

/**
 * The facts, plan and guard of postCorrection, read in one serializable transaction that writes
 * nothing: the answer posting would give now (a correction already posted under its key is ok).
 * Without the family lock a posting racing it may still change the answer; posting checks again.
 */
export function checkCorrection(
  db: Db,
  request: CorrectionRequest,
  clock: () => Date,
): Promise<CorrectionCheck> {
  return db.$transaction((tx) => checkCorrectionIn(tx, request, clock()), {
    ...LEDGER_TRANSACTION,
    isolationLevel: 'Serializable',
  });
}

async function checkCorrectionIn(
  tx: Tx,
  request: CorrectionRequest,
  now: Date,
): Promise<CorrectionCheck> {
  if ((await findAdjustments(tx, correctionKeys(request))).length > 0) return { ok: true };
  try {
    const facts = await loadCorrectionFacts(tx, request);
    planCorrection(request, facts.invoice, facts.dispute, now.getTime(), facts.guard);
    return { ok: true };
  } catch (error) {
    if (error instanceof CorrectionError)
      return { ok: false, problem: error.problem, message: error.message };
    if (error instanceof LedgerError)
      return { ok: false, problem: 'InvalidCorrection', message: error.message };
    throw error;
  }
}

// Reverses the documents of one posted correction in one transaction: a `reversal` adjustment per
// document, each posting the mirror of the original's; a corrected invoice's original is
// re-instated and its replacement voided; a payment plan's unpaid installments are cancelled.
// Nothing already posted is edited or deleted.
import { randomUUID } from 'node:crypto';
import {
  CorrectionError,
  REVERSAL_PREFIX,
  reversalKey,
  type AdjustmentDto,
  type ReversalRequest,
} from '../../domain/ledger/correction';
import type { PostedKind } from '../../domain/ledger/correction-effect';
import { planReversal, type PostedDocument } from '../../domain/ledger/reversal-plan';
import type { Db, Tx } from '../db';
import { recordWebhookEvent } from '../webhooks/events';
import { AlreadyPosted, LEDGER_TRANSACTION } from './corrections';
import { syncBillingDocuments } from './billing-postings';
import { matchInstallments } from './installments';
import { invoiceFamily, lockInvoiceFamily } from './posted';
import {
  adjustmentWithInstallments,
  nextDocumentNumber,
  toAdjustmentDto,
  writePosting,
} from './rows';

const documentRow = {
  dispute: { select: { customerId: true, invoiceId: true } },
  posting: { include: { entries: { orderBy: { id: 'asc' } } } },
  reversedBy: { select: { documentNumber: true } },
} as const;

type DocumentRow = Awaited<ReturnType<typeof loadDocuments>>[number];

function loadDocuments(tx: Tx, where: { documentNumber: string } | { keyPrefix: string }) {
  return tx.adjustment.findMany({
    where:
      'documentNumber' in where
        ? { documentNumber: where.documentNumber }
        : { idempotencyKey: { startsWith: where.keyPrefix } },
    include: documentRow,
    orderBy: { documentNumber: 'asc' },
  });
}

function toPosted(row: DocumentRow): PostedDocument {
  return {
    id: row.id,
    disputeId: row.disputeId,
    customerId: row.dispute.customerId,
    kind: row.kind as PostedKind,
    documentNumber: row.documentNumber,
    amount: row.amount,
    tax: row.tax,
    currency: row.currency,
    lines: (row.posting?.entries ?? []).map((e) => ({ account: e.account, amount: e.amount })),
    reversedBy: row.reversedBy?.documentNumber ?? null,
  };
}

/** The idempotency-key prefix shared by every document of the correction `row` belongs to. */
function correctionPrefix(row: DocumentRow): string {
  return `${row.idempotencyKey.slice(0, row.idempotencyKey.lastIndexOf(':'))}:`;
}

const RETURNED = { include: adjustmentWithInstallments } as const;

/** The reversals already written for this request, in document order. */
export function reversalsOf(db: Db | Tx, request: ReversalRequest): Promise<AdjustmentDto[]> {
  return db.adjustment
    .findMany({
      where: { idempotencyKey: { startsWith: reversalKey(request.disputeId, request.step, '') } },
      ...RETURNED,
      orderBy: { documentNumber: 'asc' },
    })
    .then((rows) => rows.map(toAdjustmentDto));
}

/** Posts the reversal and returns its adjustments; throws AlreadyPosted if its step exists. */
export async function postReversal(
  tx: Tx,
  request: ReversalRequest,
  now: Date,
): Promise<AdjustmentDto[]> {
  // First write: concurrent attempts queue on the sequence, then see the winner's rows.
  const firstNumber = await nextDocumentNumber(tx, REVERSAL_PREFIX);
  if ((await reversalsOf(tx, request)).length > 0)
    throw new AlreadyPosted(`reversal ${request.disputeId}/${request.step} is already posted`);

  const [target] = await loadDocuments(tx, { documentNumber: request.documentNumber });
  if (!target)
    throw new CorrectionError('MissingRecord', `document ${request.documentNumber} does not exist`);
  await lockInvoiceFamily(tx, (await invoiceFamily(tx, request.invoiceId)).root);
  // Read after the lock: a reversal racing this one has committed or not started.
  const documents = await loadDocuments(tx, { keyPrefix: correctionPrefix(target) });
  const plan = planReversal(request, toPosted(target), documents.map(toPosted));
  if (target.dispute.invoiceId !== request.invoiceId)
    throw new CorrectionError(
      'InvalidCorrection',
      `${request.documentNumber} corrects invoice ${target.dispute.invoiceId}, not ${request.invoiceId}`,
    );

  const ids: string[] = [];
  for (const [index, reversal] of plan.entries()) {
    const original = documents.find((d) => d.id === reversal.original.id)!;
    const number = index === 0 ? firstNumber : await nextDocumentNumber(tx, REVERSAL_PREFIX);
    const id = randomUUID();
    const key = reversalKey(request.disputeId, request.step, original.documentNumber);
    await tx.adjustment.create({
      data: {
        id,
        disputeId: request.disputeId,
        idempotencyKey: key,
        kind: 'reversal',
        documentNumber: number,
        amount: original.amount,
        tax: original.tax,
        currency: original.currency,
        details: JSON.stringify(reversal.details),
        createdAt: now,
        reversesId: original.id,
      },
    });
    await writePosting(
      tx,
      { ...reversal.posting, key, description: `${number} ${reversal.posting.description}` },
      id,
      now,
    );
    await undoSideEffects(tx, original, number);
    ids.push(id);
  }
  // A cancelled plan's installments take no more money; the invoice's other plans may.
  if (plan.some((r) => r.original.kind === 'payment_plan'))
    await matchInstallments(tx, [request.invoiceId]);
  const rows = await tx.adjustment.findMany({ where: { id: { in: ids } }, ...RETURNED });
  const reversals = ids.map((id) => toAdjustmentDto(rows.find((r) => r.id === id)!));
  await reportReversal(tx, request, reversals, now);
  return reversals;
}

/** adjustment.reversed with every reversal document, in the reversal's transaction. */
async function reportReversal(
  tx: Tx,
  request: ReversalRequest,
  reversals: readonly AdjustmentDto[],
  now: Date,
): Promise<void> {
  await recordWebhookEvent(
    tx,
    {
      type: 'adjustment.reversed',
      data: {
        disputeId: request.disputeId,
        customerId: request.customerId,
        invoiceId: request.invoiceId,
        reason: request.reason,
        reversedBy: request.reversedBy,
        documents: reversals.map((r) => ({
          documentNumber: r.documentNumber,
          reverses: String(r.details.reverses),
          reversedKind: String(r.details.reversedKind),
          amount: r.amount,
          tax: r.tax,
          issuedAt: r.createdAt,
          invoiceId: request.invoiceId,
        })),
      },
    },
    now,
  );
}

/** What a document did besides its posting, undone: invoices re-instated, installments cancelled. */
async function undoSideEffects(tx: Tx, original: DocumentRow, reversal: string): Promise<void> {
  if (original.kind === 'corrected_invoice') {
    const replacement = await tx.invoice.findUnique({
      where: { id: original.documentNumber },
      select: { voidedById: true, replacesId: true },
    });
    if (!replacement?.replacesId)
      throw new CorrectionError(
        'InvalidCorrection',
        `corrected invoice ${original.documentNumber} is not in the database`,
      );
    if (replacement.voidedById !== null)
      throw new CorrectionError(
        'InvalidCorrection',
        `corrected invoice ${original.documentNumber} was itself replaced by ${replacement.voidedById}; reverse that first`,
      );
    await tx.invoice.update({
      where: { id: original.documentNumber },
      data: { voidedById: reversal },
    });
    const reinstated = await tx.invoice.update({
      where: { id: replacement.replacesId },
      data: { voidedById: null },
      select: {
        id: true,
        customerId: true,
        currency: true,
        total: true,
        tax: true,
        replacesId: true,
      },
    });
    // The reversal re-issued the amounts it voided; an import may have changed them since (only
    // an imported invoice: Settle's own numbers are never imported).
    if (reinstated.replacesId === null) await syncBillingDocuments(tx, [reinstated], []);
  }
  if (original.kind === 'payment_plan') {
    await tx.installment.updateMany({
      where: { adjustmentId: original.id, status: 'scheduled' },
      data: { status: 'cancelled' },
    });
  }
}

/** postReversal in its own transaction, stamped with the clock's time as it starts. */
export function commitReversal(
  db: Db,
  request: ReversalRequest,
  clock: () => Date,
): Promise<AdjustmentDto[]> {
  return db.$transaction((tx) => postReversal(tx, request, clock()), LEDGER_TRANSACTION);
}

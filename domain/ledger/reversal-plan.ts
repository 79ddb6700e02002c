// Turns a manager's reversal into one reversing document per document of the correction: each
// posting the exact mirror of the original's, so the books return to where they were and the
// original stays on record. Pure: the store reads the documents, calls this, writes the result.
import { CorrectionError, type ReversalRequest } from './correction';
import type { PostedKind } from './correction-effect';
import { draftPosting, reverseLines, type LedgerLine, type PostingDraft } from './accounts';

/** A document Settle posted, with the lines of its posting. */
export interface PostedDocument {
  id: string;
  disputeId: string;
  customerId: string;
  kind: PostedKind;
  documentNumber: string;
  amount: bigint;
  tax: bigint;
  currency: string;
  lines: readonly LedgerLine[];
  /** The document number of its reversal, once reversed. */
  reversedBy: string | null;
}

export interface PlannedReversal {
  original: PostedDocument;
  posting: PostingDraft;
  details: Record<string, unknown>;
}

const invalid = (message: string): CorrectionError =>
  new CorrectionError('InvalidCorrection', message);

/**
 * The reversals of every document of the correction that issued `target` (`documents`: all of
 * that correction's documents, in the order they were issued), the last issued first.
 */
export function planReversal(
  request: ReversalRequest,
  target: PostedDocument,
  documents: readonly PostedDocument[],
): PlannedReversal[] {
  if (target.kind === 'reversal')
    throw invalid(`${target.documentNumber} is a reversal; it cannot be reversed`);
  if (target.disputeId !== request.disputeId)
    throw invalid(
      `${target.documentNumber} was posted for dispute ${target.disputeId}, not ${request.disputeId}`,
    );
  if (target.customerId !== request.customerId)
    throw invalid(`${target.documentNumber} is not a document of customer ${request.customerId}`);
  if (request.reason.trim() === '') throw invalid('a reversal needs a reason');
  const reversed = documents.find((d) => d.reversedBy !== null);
  if (reversed)
    throw invalid(`${reversed.documentNumber} is already reversed by ${reversed.reversedBy}`);
  return [...documents].reverse().map((original) => ({
    original,
    posting: draftPosting(
      original.customerId,
      original.currency,
      `Reversal of ${original.documentNumber} for dispute ${request.disputeId}: ${request.reason}`,
      reverseLines(original.lines),
    ),
    details: {
      invoiceId: request.invoiceId,
      step: request.step,
      reverses: original.documentNumber,
      reversedKind: original.kind,
      reason: request.reason,
      reversedBy: request.reversedBy,
    },
  }));
}

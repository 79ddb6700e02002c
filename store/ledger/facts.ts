// What a correction needs to know about its invoice and dispute, read inside its transaction:
// the invoice and what it still bills, and the guard's D (what is wrong on it) and C (what its
// family's corrections already correct).
import { CorrectionError, type CorrectionRequest } from '../../domain/ledger/correction';
import {
  invoiceBalance,
  type DisputeFacts,
  type GuardFacts,
  type InvoiceFacts,
} from '../../domain/ledger/correction-checks';
import {
  correctedSoFar,
  CorrectionHistoryError,
  type PostedCorrection,
} from '../../domain/ledger/correction-effect';
import {
  discrepancyOf,
  investigateInvoice,
  InvestigationInputError,
} from '../../domain/investigation/index';
import type { Prisma, Tx } from '../db';
import { MissingRecordError, readInvestigationInput } from '../billing/records';
import { invoiceFamily, postedCorrections, type InvoiceFamily } from './posted';

const invoiceForCorrection = {
  lines: { orderBy: { position: 'asc' } },
  customer: { select: { taxRate: true } },
} satisfies Prisma.InvoiceInclude;

export type InvoiceRow = Prisma.InvoiceGetPayload<{ include: typeof invoiceForCorrection }>;

export interface CorrectionFacts {
  invoice: InvoiceFacts;
  dispute: DisputeFacts;
  /** The invoice as stored, for a corrected invoice's copy of its lines. */
  invoiceRow: InvoiceRow;
  family: InvoiceFamily;
  guard: GuardFacts;
}

const missing = (what: string): CorrectionError =>
  new CorrectionError('MissingRecord', `${what} is not in the database`);

/** The invoice and dispute of a correction; MissingRecord when either is unknown. */
export async function loadParties(
  tx: Tx,
  request: Pick<CorrectionRequest, 'invoiceId' | 'disputeId'>,
): Promise<{ invoiceRow: InvoiceRow; dispute: DisputeFacts; family: InvoiceFamily }> {
  const [invoiceRow, dispute] = await Promise.all([
    tx.invoice.findUnique({ where: { id: request.invoiceId }, include: invoiceForCorrection }),
    tx.dispute.findUnique({
      where: { id: request.disputeId },
      select: { id: true, customerId: true, invoiceId: true },
    }),
  ]);
  if (!invoiceRow) throw missing(`invoice ${request.invoiceId}`);
  if (!dispute) throw missing(`dispute ${request.disputeId}`);
  return { invoiceRow, dispute, family: await invoiceFamily(tx, invoiceRow.id) };
}

/** D by the investigation rules, re-run on the records as they are in this transaction. */
async function discrepancyByRules(tx: Tx, invoiceId: string): Promise<bigint> {
  try {
    const input = await readInvestigationInput(tx, invoiceId, null);
    return discrepancyOf(investigateInvoice({ ...input, corrections: [] }).findings);
  } catch (error) {
    if (error instanceof MissingRecordError)
      throw new CorrectionError('MissingRecord', error.message);
    // Records that do not fit together justify nothing until someone fixes them.
    if (error instanceof InvestigationInputError)
      throw new CorrectionError(
        'UnjustifiedCorrection',
        `the investigation rules cannot run on ${invoiceId}: ${error.message}`,
      );
    throw error;
  }
}

/** D by the findings a person submitted in review (saved on the dispute). */
async function discrepancyByReview(tx: Tx, disputeId: string, currency: string): Promise<bigint> {
  const findings = await tx.finding.findMany({
    where: { disputeId },
    select: { rule: true, delta: true, currency: true },
  });
  const foreign = findings.find((f) => f.currency !== currency);
  if (foreign)
    throw new CorrectionError(
      'InvalidCorrection',
      `a finding of dispute ${disputeId} is in ${foreign.currency}, not the invoice's ${currency}`,
    );
  return discrepancyOf(findings.map((f) => ({ rule: f.rule, delta: { minor: f.delta } })));
}

function corrected(docs: readonly PostedCorrection[]): bigint {
  try {
    return correctedSoFar(docs);
  } catch (error) {
    if (error instanceof CorrectionHistoryError)
      throw new CorrectionError('InvalidCorrection', error.message);
    throw error;
  }
}

/** Everything planCorrection needs; call once the family is locked, so D and C are current. */
export async function loadCorrectionFacts(
  tx: Tx,
  request: CorrectionRequest,
): Promise<CorrectionFacts> {
  const { invoiceRow: invoice, dispute, family } = await loadParties(tx, request);
  const [paid, own, familyDocs, discrepancy] = await Promise.all([
    tx.payment.findMany({ where: { invoiceId: invoice.id }, select: { amount: true } }),
    postedCorrections(tx, [invoice.id]),
    postedCorrections(tx, family.ids),
    request.basis === 'rules'
      ? discrepancyByRules(tx, invoice.id)
      : discrepancyByReview(tx, request.disputeId, invoice.currency),
  ]);
  return {
    invoice: {
      id: invoice.id,
      customerId: invoice.customerId,
      currency: invoice.currency,
      taxRate: invoice.taxRate,
      customerTaxRate: invoice.customer.taxRate,
      subtotal: invoice.subtotal,
      tax: invoice.tax,
      total: invoice.total,
      voided: invoice.voidedById !== null,
      ...invoiceBalance(
        invoice.total,
        paid.map((p) => p.amount),
        own,
      ),
    },
    dispute,
    invoiceRow: invoice,
    family,
    guard: { discrepancy, corrected: corrected(familyDocs) },
  };
}

// What a correction needs to know about its invoice and dispute, read inside its transaction.
import { CorrectionError, type CorrectionRequest } from '../../domain/ledger/correction';
import {
  invoiceBalance,
  type DisputeFacts,
  type InvoiceFacts,
} from '../../domain/ledger/correction-checks';
import type { Prisma, Tx } from '../db';

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
}

export async function loadCorrectionFacts(
  tx: Tx,
  request: CorrectionRequest,
): Promise<CorrectionFacts> {
  const [invoice, dispute] = await Promise.all([
    tx.invoice.findUnique({ where: { id: request.invoiceId }, include: invoiceForCorrection }),
    tx.dispute.findUnique({
      where: { id: request.disputeId },
      select: { id: true, customerId: true, invoiceId: true },
    }),
  ]);
  if (!invoice)
    throw new CorrectionError(
      'MissingRecord',
      `invoice ${request.invoiceId} is not in the database`,
    );
  if (!dispute)
    throw new CorrectionError(
      'MissingRecord',
      `dispute ${request.disputeId} is not in the database`,
    );
  const [paid, earlier] = await Promise.all([
    tx.payment.findMany({ where: { invoiceId: invoice.id }, select: { amount: true } }),
    tx.adjustment.findMany({
      where: { dispute: { invoiceId: invoice.id } },
      select: { kind: true, amount: true },
    }),
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
        earlier,
      ),
    },
    dispute,
    invoiceRow: invoice,
  };
}

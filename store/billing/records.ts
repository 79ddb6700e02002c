// Billing records between the database and their domain form: the import writes them,
// the investigation reads them.
import type { InvestigationInput } from '../../domain/investigation/index';
import type {
  BillingRecords,
  Contract,
  ContractDiscount,
  Invoice,
} from '../../domain/investigation/records';
import { money } from '../../domain/money';
import type { Db, Prisma, Tx } from '../db';
import { writeBillingRecords } from './write';
import { postBillingDocuments } from '../ledger/billing-postings';
import { matchInstallments } from '../ledger/installments';
import { CORRECTION_SKU, invoiceFamily, postedCorrections } from '../ledger/posted';

const invoiceWithLines = {
  lines: { orderBy: { position: 'asc' } },
} satisfies Prisma.InvoiceInclude;
type InvoiceRow = Prisma.InvoiceGetPayload<{ include: typeof invoiceWithLines }>;
const contractWithTerms = { prices: true, discounts: true } satisfies Prisma.ContractInclude;
type ContractRow = Prisma.ContractGetPayload<{ include: typeof contractWithTerms }>;

export class MissingRecordError extends Error {
  override readonly name = 'MissingRecord';
}

function invoiceFromRow(row: InvoiceRow): Invoice {
  return {
    id: row.id,
    customerId: row.customerId,
    purchaseOrderId: row.purchaseOrderId,
    issuedAt: row.issuedAt,
    dueAt: row.dueAt,
    currency: row.currency,
    taxRate: row.taxRate,
    billingAddress: {
      line1: row.addressLine1,
      city: row.addressCity,
      postalCode: row.addressPostalCode,
      country: row.addressCountry,
    },
    subtotal: money(row.subtotal, row.currency),
    tax: money(row.tax, row.currency),
    total: money(row.total, row.currency),
    lines: row.lines.map((line) => ({
      id: line.id,
      sku: line.sku,
      poLineId: line.poLineId,
      quantity: line.quantity,
      unitPrice: money(line.unitPrice, row.currency),
      discountPercent: line.discountPercent,
      lineTotal: money(line.lineTotal, row.currency),
    })),
  };
}

function contractFromRow(row: ContractRow, currency: string): Contract {
  return {
    id: row.id,
    customerId: row.customerId,
    validFrom: row.validFrom,
    validTo: row.validTo,
    prices: row.prices.map((p) => ({ sku: p.sku, unitPrice: money(p.unitPrice, currency) })),
    discounts: row.discounts.map((d): ContractDiscount => {
      const base = { id: d.id, sku: d.sku, percent: d.percent };
      if (d.kind === 'promotion')
        return { ...base, kind: 'promotion', from: d.from ?? '', to: d.to ?? '' };
      return { ...base, kind: d.kind as 'volume' | 'retroactive', minQuantity: d.minQuantity ?? 0 };
    }),
  };
}

/**
 * A corrected invoice Settle issued carries the lines of the invoice it replaced plus its own
 * correction line, which is a posted correction, not billing: the rules see the family's original
 * billing (its lines and amounts) and the correction counts in `already_corrected`.
 */
async function billingOf(tx: Tx, invoice: InvoiceRow, root: string): Promise<InvoiceRow> {
  if (invoice.replacesId === null) return invoice;
  const original = await tx.invoice.findUniqueOrThrow({
    where: { id: root },
    select: { subtotal: true, tax: true, total: true },
  });
  return {
    ...invoice,
    ...original,
    lines: invoice.lines.filter((l) => !(l.sku === CORRECTION_SKU && l.poLineId === '')),
  };
}

/** Everything the investigation of one invoice reads, in one consistent snapshot. */
export async function loadInvestigationInput(
  db: Db,
  invoiceId: string,
  reason: string | null,
): Promise<InvestigationInput> {
  return db.$transaction((tx) => readInvestigationInput(tx, invoiceId, reason));
}

/** loadInvestigationInput inside a caller's transaction (the posting guard re-runs the rules). */
export async function readInvestigationInput(
  tx: Tx,
  invoiceId: string,
  reason: string | null,
): Promise<InvestigationInput> {
  const stored = await tx.invoice.findUnique({
    where: { id: invoiceId },
    include: invoiceWithLines,
  });
  if (!stored) throw new MissingRecordError(`invoice ${invoiceId} is not in the database`);
  const family = await invoiceFamily(tx, invoiceId);
  const invoice = await billingOf(tx, stored, family.root);
  const [customer, purchaseOrder, otherInvoices, payments, corrections] = await Promise.all([
    tx.customer.findUniqueOrThrow({ where: { id: invoice.customerId } }),
    tx.purchaseOrder.findUniqueOrThrow({
      where: { id: invoice.purchaseOrderId },
      include: {
        lines: { orderBy: { position: 'asc' } },
        deliveries: { include: { lines: { orderBy: { position: 'asc' } } } },
        contract: { include: contractWithTerms },
      },
    }),
    tx.invoice.findMany({
      // The family's other members bill the same supply: they are this invoice, not others.
      where: { customerId: invoice.customerId, id: { notIn: family.ids }, voidedById: null },
      include: invoiceWithLines,
    }),
    tx.payment.findMany({ where: { customerId: invoice.customerId } }),
    postedCorrections(tx, family.ids),
  ]);
  return {
    invoice: invoiceFromRow(invoice),
    customer: {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      currency: customer.currency,
      taxRate: customer.taxRate,
      locale: customer.locale === 'fr' ? 'fr' : 'en',
      billingAddress: {
        line1: customer.addressLine1,
        city: customer.addressCity,
        postalCode: customer.addressPostalCode,
        country: customer.addressCountry,
      },
    },
    purchaseOrder: {
      id: purchaseOrder.id,
      customerId: purchaseOrder.customerId,
      contractId: purchaseOrder.contractId,
      date: purchaseOrder.date,
      lines: purchaseOrder.lines.map((l) => ({ id: l.id, sku: l.sku, quantity: l.quantity })),
    },
    deliveries: purchaseOrder.deliveries.map((d) => ({
      id: d.id,
      purchaseOrderId: d.purchaseOrderId,
      date: d.date,
      lines: d.lines.map((l) => ({ poLineId: l.poLineId, quantity: l.quantity })),
    })),
    contract: contractFromRow(purchaseOrder.contract, invoice.currency),
    otherInvoices: otherInvoices.map(invoiceFromRow),
    payments: payments.map((p) => ({
      id: p.id,
      customerId: p.customerId,
      invoiceId: p.invoiceId,
      receivedAt: p.receivedAt,
      amount: money(p.amount, p.currency),
    })),
    corrections,
    reason,
  };
}

export interface ImportCounts {
  customers: number;
  contracts: number;
  purchaseOrders: number;
  deliveries: number;
  invoices: number;
  payments: number;
}

/** Upserts every record in one transaction: all of the bundle, or nothing. */
export async function saveBillingRecords(db: Db, records: BillingRecords): Promise<ImportCounts> {
  await db.$transaction(
    async (tx) => {
      await writeBillingRecords(tx, records);
      await postBillingDocuments(tx, records.invoices, records.payments);
      // Payments (and re-imported invoices) settle their payment plans' installments at once.
      await matchInstallments(tx, [
        ...records.payments.map((p) => p.invoiceId),
        ...records.invoices.map((i) => i.id),
      ]);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return {
    customers: records.customers.length,
    contracts: records.contracts.length,
    purchaseOrders: records.purchaseOrders.length,
    deliveries: records.deliveries.length,
    invoices: records.invoices.length,
    payments: records.payments.length,
  };
}

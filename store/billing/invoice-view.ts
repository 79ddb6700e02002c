// Invoices as the API shows them: one with its lines and the collection hold its open disputes put
// on it, a customer's list (newest first), and the holds per customer.
import { money, toMoneyDto, type MoneyDto } from '../../domain/money';
import type { Db } from '../db';

export interface InvoiceHold {
  amount: MoneyDto;
  disputeId: string;
  since: string;
}

export interface InvoiceLineView {
  id: string;
  position: number;
  sku: string;
  poLineId: string;
  quantity: number;
  unitPrice: MoneyDto;
  discountPercent: string;
  lineTotal: MoneyDto;
}

export interface InvoiceSummaryView {
  id: string;
  customerId: string;
  purchaseOrderId: string;
  issuedAt: string;
  dueAt: string;
  currency: string;
  total: MoneyDto;
  /** The corrected invoice that replaced this one, if any. */
  voidedBy: string | null;
}

export interface InvoiceView extends InvoiceSummaryView {
  taxRate: string;
  billingAddress: { line1: string; city: string; postalCode: string; country: string };
  subtotal: MoneyDto;
  tax: MoneyDto;
  lines: InvoiceLineView[];
  /** The amount not to be dunned while a dispute is open; the earliest dispute's when several are. */
  hold: InvoiceHold | null;
  holds: InvoiceHold[];
}

/** `<issued date>.<invoice id>`: any string of this form is a position in the list. */
export const INVOICE_CURSOR = /^(\d{4}-\d{2}-\d{2})\.([A-Za-z0-9][A-Za-z0-9._:\-/]{0,63})$/;

export async function findInvoiceView(db: Db, id: string): Promise<InvoiceView | null> {
  const row = await db.invoice.findUnique({
    where: { id },
    include: { lines: { orderBy: { position: 'asc' } } },
  });
  if (!row) return null;
  const disputes = await db.dispute.findMany({
    where: { invoiceId: id, holdAmount: { not: null } },
    orderBy: [{ holdSince: 'asc' }, { id: 'asc' }],
    select: { id: true, holdAmount: true, holdSince: true },
  });
  const amount = (minor: bigint): MoneyDto => toMoneyDto(money(minor, row.currency));
  const holds = disputes.map((d) => ({
    amount: amount(d.holdAmount!),
    disputeId: d.id,
    since: (d.holdSince ?? new Date(0)).toISOString(),
  }));
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
    subtotal: amount(row.subtotal),
    tax: amount(row.tax),
    total: amount(row.total),
    voidedBy: row.voidedById,
    lines: row.lines.map((l) => ({
      id: l.id,
      position: l.position,
      sku: l.sku,
      poLineId: l.poLineId,
      quantity: l.quantity,
      unitPrice: amount(l.unitPrice),
      discountPercent: l.discountPercent,
      lineTotal: amount(l.lineTotal),
    })),
    hold: holds[0] ?? null,
    holds,
  };
}

export interface InvoicePage {
  items: InvoiceSummaryView[];
  nextCursor: string | null;
}

/** A customer's invoices, newest first; null when the customer does not exist. */
export async function listCustomerInvoices(
  db: Db,
  customerId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<InvoicePage | null> {
  const customer = await db.customer.findUnique({
    where: { id: customerId },
    select: { id: true },
  });
  if (!customer) return null;
  const [, issuedAt = '', id = ''] = (page.cursor && INVOICE_CURSOR.exec(page.cursor)) || [];
  const rows = await db.invoice.findMany({
    where: {
      customerId,
      ...(page.cursor
        ? { OR: [{ issuedAt: { lt: issuedAt } }, { issuedAt, id: { lt: id } }] }
        : {}),
    },
    orderBy: [{ issuedAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
    select: {
      id: true,
      customerId: true,
      purchaseOrderId: true,
      issuedAt: true,
      dueAt: true,
      currency: true,
      total: true,
      voidedById: true,
    },
  });
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(({ voidedById, ...r }) => ({
      ...r,
      total: toMoneyDto(money(r.total, r.currency)),
      voidedBy: voidedById,
    })),
    nextCursor: rows.length > page.limit && last ? `${last.issuedAt}.${last.id}` : null,
  };
}

/** The amount on hold now, per customer and currency, over their open disputes. */
export async function holdsByCustomer(
  db: Db,
): Promise<{ customerId: string; amount: MoneyDto; disputes: number }[]> {
  const rows = await db.dispute.groupBy({
    by: ['customerId', 'currency'],
    where: { holdAmount: { not: null } },
    _sum: { holdAmount: true },
    _count: { _all: true },
    orderBy: [{ customerId: 'asc' }, { currency: 'asc' }],
  });
  return rows.map((r) => ({
    customerId: r.customerId,
    amount: toMoneyDto(money(r._sum.holdAmount ?? 0n, r.currency)),
    disputes: r._count._all,
  }));
}

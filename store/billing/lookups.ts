// Look-ups in the billing records: invoices by when they were recorded (the proactive scan's
// pages, monitoring's new invoices of a customer) and by owner (the API's checks of a request).
import type { Db } from '../db';

/** Keyset position in (createdAt, id) order. */
export interface InvoiceCursor {
  createdAt: Date;
  id: string;
}

export interface RecordedInvoice {
  id: string;
  customerId: string;
  createdAt: Date;
}

/** Invoices recorded in [since, until) that are not voided, in (createdAt, id) order after `after`. */
export function invoicesRecordedPage(
  db: Db,
  page: { since: Date; until: Date; after: InvoiceCursor | null; limit: number },
): Promise<RecordedInvoice[]> {
  const { after } = page;
  return db.invoice.findMany({
    where: {
      createdAt: { gte: page.since, lt: page.until },
      voidedById: null,
      ...(after
        ? {
            OR: [
              { createdAt: { gt: after.createdAt } },
              { createdAt: after.createdAt, id: { gt: after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: page.limit,
    select: { id: true, customerId: true, createdAt: true },
  });
}

/** The customer's invoices recorded in (since, until], except one and voided ones, oldest first. */
export async function customerInvoicesRecordedBetween(
  db: Db,
  request: { customerId: string; excludeInvoiceId: string; since: Date; until: Date },
): Promise<string[]> {
  const rows = await db.invoice.findMany({
    where: {
      customerId: request.customerId,
      id: { not: request.excludeInvoiceId },
      voidedById: null,
      createdAt: { gt: request.since, lte: request.until },
    },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => r.id);
}

/** Which of `invoiceIds` exist as invoices of the customer. */
export async function customerInvoiceIds(
  db: Db,
  customerId: string,
  invoiceIds: readonly string[],
): Promise<Set<string>> {
  const known = await db.invoice.findMany({
    where: { id: { in: [...invoiceIds] }, customerId },
    select: { id: true },
  });
  return new Set(known.map((i) => i.id));
}

/** The customer an invoice belongs to, or null when there is no invoice with this id. */
export async function invoiceCustomer(db: Db, invoiceId: string): Promise<string | null> {
  const invoice = await db.invoice.findUnique({
    where: { id: invoiceId },
    select: { customerId: true },
  });
  return invoice?.customerId ?? null;
}

/** The customer's currency, or null when there is no customer with this id. */
export async function customerCurrency(db: Db, customerId: string): Promise<string | null> {
  const customer = await db.customer.findUnique({
    where: { id: customerId },
    select: { currency: true },
  });
  return customer?.currency ?? null;
}

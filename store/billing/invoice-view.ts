// One invoice as the API shows it, with the collection hold its open disputes put on it.
import { money, toMoneyDto, type MoneyDto } from '../../domain/money';
import type { Db } from '../db';

export interface InvoiceHold {
  amount: MoneyDto;
  disputeId: string;
  since: string;
}

export interface InvoiceView {
  id: string;
  customerId: string;
  purchaseOrderId: string;
  issuedAt: string;
  dueAt: string;
  currency: string;
  subtotal: MoneyDto;
  tax: MoneyDto;
  total: MoneyDto;
  voidedBy: string | null;
  lines: {
    id: string;
    sku: string;
    quantity: number;
    unitPrice: MoneyDto;
    discountPercent: string;
    lineTotal: MoneyDto;
  }[];
  /** The amount not to be dunned while a dispute is open; the earliest dispute's when several are. */
  hold: InvoiceHold | null;
  holds: InvoiceHold[];
}

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
    subtotal: amount(row.subtotal),
    tax: amount(row.tax),
    total: amount(row.total),
    voidedBy: row.voidedById,
    lines: row.lines.map((l) => ({
      id: l.id,
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: amount(l.unitPrice),
      discountPercent: l.discountPercent,
      lineTotal: amount(l.lineTotal),
    })),
    hold: holds[0] ?? null,
    holds,
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

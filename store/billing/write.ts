// Writes imported billing records as rows, inside the import's transaction: each record kind in a
// few statements (see bulk-upsert.ts), parents before children so foreign keys always hold.
import type { BillingRecords } from '../../domain/investigation/records';
import type { Prisma, Tx } from '../db';
import { insertRows, replaceChildren, upsertRows } from '../bulk-upsert';

const customerFields = {
  id: true,
  name: true,
  email: true,
  currency: true,
  taxRate: true,
  locale: true,
  addressLine1: true,
  addressCity: true,
  addressPostalCode: true,
  addressCountry: true,
} satisfies Prisma.CustomerSelect;
const contractFields = {
  id: true,
  customerId: true,
  validFrom: true,
  validTo: true,
} satisfies Prisma.ContractSelect;
const priceFields = {
  contractId: true,
  sku: true,
  unitPrice: true,
} satisfies Prisma.ContractPriceSelect;
const discountFields = {
  contractId: true,
  id: true,
  kind: true,
  sku: true,
  percent: true,
  minQuantity: true,
  from: true,
  to: true,
} satisfies Prisma.ContractDiscountSelect;
const purchaseOrderFields = {
  id: true,
  customerId: true,
  contractId: true,
  date: true,
} satisfies Prisma.PurchaseOrderSelect;
const purchaseOrderLineFields = {
  id: true,
  purchaseOrderId: true,
  position: true,
  sku: true,
  quantity: true,
} satisfies Prisma.PurchaseOrderLineSelect;
const deliveryFields = {
  id: true,
  purchaseOrderId: true,
  date: true,
} satisfies Prisma.DeliverySelect;
const deliveryLineFields = {
  deliveryId: true,
  position: true,
  poLineId: true,
  quantity: true,
} satisfies Prisma.DeliveryLineSelect;
// createdAt and voidedById are Settle's own: an import never changes them.
const invoiceFields = {
  id: true,
  customerId: true,
  purchaseOrderId: true,
  issuedAt: true,
  dueAt: true,
  currency: true,
  taxRate: true,
  addressLine1: true,
  addressCity: true,
  addressPostalCode: true,
  addressCountry: true,
  subtotal: true,
  tax: true,
  total: true,
} satisfies Prisma.InvoiceSelect;
const invoiceLineFields = {
  id: true,
  invoiceId: true,
  position: true,
  sku: true,
  poLineId: true,
  quantity: true,
  unitPrice: true,
  discountPercent: true,
  lineTotal: true,
} satisfies Prisma.InvoiceLineSelect;
const paymentFields = {
  id: true,
  customerId: true,
  invoiceId: true,
  receivedAt: true,
  amount: true,
  currency: true,
} satisfies Prisma.PaymentSelect;

type CustomerRow = Prisma.CustomerGetPayload<{ select: typeof customerFields }>;
type ContractRow = Prisma.ContractGetPayload<{ select: typeof contractFields }>;
type PriceRow = Prisma.ContractPriceGetPayload<{ select: typeof priceFields }>;
type DiscountRow = Prisma.ContractDiscountGetPayload<{ select: typeof discountFields }>;
type PurchaseOrderRow = Prisma.PurchaseOrderGetPayload<{ select: typeof purchaseOrderFields }>;
type PurchaseOrderLineRow = Prisma.PurchaseOrderLineGetPayload<{
  select: typeof purchaseOrderLineFields;
}>;
type DeliveryRow = Prisma.DeliveryGetPayload<{ select: typeof deliveryFields }>;
type DeliveryLineRow = Prisma.DeliveryLineGetPayload<{ select: typeof deliveryLineFields }>;
type InvoiceRow = Prisma.InvoiceGetPayload<{ select: typeof invoiceFields }>;
type InvoiceLineRow = Prisma.InvoiceLineGetPayload<{ select: typeof invoiceLineFields }>;
type PaymentRow = Prisma.PaymentGetPayload<{ select: typeof paymentFields }>;

function rowsOf(records: BillingRecords): {
  customers: CustomerRow[];
  contracts: ContractRow[];
  prices: PriceRow[];
  discounts: DiscountRow[];
  purchaseOrders: PurchaseOrderRow[];
  purchaseOrderLines: PurchaseOrderLineRow[];
  deliveries: DeliveryRow[];
  deliveryLines: DeliveryLineRow[];
  invoices: InvoiceRow[];
  invoiceLines: InvoiceLineRow[];
  payments: PaymentRow[];
} {
  return {
    customers: records.customers.map((c) => ({
      id: c.id,
      name: c.name,
      email: c.email,
      currency: c.currency,
      taxRate: c.taxRate,
      locale: c.locale,
      addressLine1: c.billingAddress.line1,
      addressCity: c.billingAddress.city,
      addressPostalCode: c.billingAddress.postalCode,
      addressCountry: c.billingAddress.country,
    })),
    contracts: records.contracts.map((k) => ({
      id: k.id,
      customerId: k.customerId,
      validFrom: k.validFrom,
      validTo: k.validTo,
    })),
    prices: records.contracts.flatMap((k) =>
      k.prices.map((p) => ({ contractId: k.id, sku: p.sku, unitPrice: p.unitPrice.minor })),
    ),
    discounts: records.contracts.flatMap((k) =>
      k.discounts.map((d) => ({
        contractId: k.id,
        id: d.id,
        kind: d.kind,
        sku: d.sku,
        percent: d.percent,
        minQuantity: d.kind === 'promotion' ? null : d.minQuantity,
        from: d.kind === 'promotion' ? d.from : null,
        to: d.kind === 'promotion' ? d.to : null,
      })),
    ),
    purchaseOrders: records.purchaseOrders.map((po) => ({
      id: po.id,
      customerId: po.customerId,
      contractId: po.contractId,
      date: po.date,
    })),
    purchaseOrderLines: records.purchaseOrders.flatMap((po) =>
      po.lines.map((l, position) => ({
        id: l.id,
        purchaseOrderId: po.id,
        position,
        sku: l.sku,
        quantity: l.quantity,
      })),
    ),
    deliveries: records.deliveries.map((d) => ({
      id: d.id,
      purchaseOrderId: d.purchaseOrderId,
      date: d.date,
    })),
    deliveryLines: records.deliveries.flatMap((d) =>
      d.lines.map((l, position) => ({
        deliveryId: d.id,
        position,
        poLineId: l.poLineId,
        quantity: l.quantity,
      })),
    ),
    invoices: records.invoices.map((invoice) => ({
      id: invoice.id,
      customerId: invoice.customerId,
      purchaseOrderId: invoice.purchaseOrderId,
      issuedAt: invoice.issuedAt,
      dueAt: invoice.dueAt,
      currency: invoice.currency,
      taxRate: invoice.taxRate,
      addressLine1: invoice.billingAddress.line1,
      addressCity: invoice.billingAddress.city,
      addressPostalCode: invoice.billingAddress.postalCode,
      addressCountry: invoice.billingAddress.country,
      subtotal: invoice.subtotal.minor,
      tax: invoice.tax.minor,
      total: invoice.total.minor,
    })),
    invoiceLines: records.invoices.flatMap((invoice) =>
      invoice.lines.map((line, position) => ({
        id: line.id,
        invoiceId: invoice.id,
        position,
        sku: line.sku,
        poLineId: line.poLineId,
        quantity: line.quantity,
        unitPrice: line.unitPrice.minor,
        discountPercent: line.discountPercent,
        lineTotal: line.lineTotal.minor,
      })),
    ),
    payments: records.payments.map((p) => ({
      id: p.id,
      customerId: p.customerId,
      invoiceId: p.invoiceId,
      receivedAt: p.receivedAt,
      amount: p.amount.minor,
      currency: p.amount.currency,
    })),
  };
}

const position = (row: { position: number }): string => String(row.position).padStart(10, '0');

/** Upserts every record; unchanged rows are read but not written. Call inside one transaction. */
export async function writeBillingRecords(tx: Tx, records: BillingRecords): Promise<void> {
  const rows = rowsOf(records);

  await upsertRows(
    {
      find: (ids) => tx.customer.findMany({ where: { id: { in: ids } }, select: customerFields }),
      createMany: (data) => tx.customer.createMany({ data }),
      update: ({ id, ...data }) => tx.customer.update({ where: { id }, data }),
    },
    rows.customers,
  );

  const contractIds = rows.contracts.map((k) => k.id);
  const contractsBefore = await upsertRows(
    {
      find: (ids) => tx.contract.findMany({ where: { id: { in: ids } }, select: contractFields }),
      createMany: (data) => tx.contract.createMany({ data }),
      update: ({ id, ...data }) => tx.contract.update({ where: { id }, data }),
    },
    rows.contracts,
  );
  await replaceChildren(
    {
      parentOf: (p) => p.contractId,
      keyOf: (p) => p.sku,
      find: (ids) =>
        tx.contractPrice.findMany({ where: { contractId: { in: ids } }, select: priceFields }),
      deleteFor: (ids) => tx.contractPrice.deleteMany({ where: { contractId: { in: ids } } }),
      createMany: (data) => tx.contractPrice.createMany({ data }),
    },
    contractIds,
    contractsBefore,
    rows.prices,
  );
  await replaceChildren(
    {
      parentOf: (d) => d.contractId,
      keyOf: (d) => d.id,
      find: (ids) =>
        tx.contractDiscount.findMany({
          where: { contractId: { in: ids } },
          select: discountFields,
        }),
      deleteFor: (ids) => tx.contractDiscount.deleteMany({ where: { contractId: { in: ids } } }),
      createMany: (data) => tx.contractDiscount.createMany({ data }),
    },
    contractIds,
    contractsBefore,
    rows.discounts,
  );

  const purchaseOrdersBefore = await upsertRows(
    {
      find: (ids) =>
        tx.purchaseOrder.findMany({ where: { id: { in: ids } }, select: purchaseOrderFields }),
      createMany: (data) => tx.purchaseOrder.createMany({ data }),
      update: ({ id, ...data }) => tx.purchaseOrder.update({ where: { id }, data }),
    },
    rows.purchaseOrders,
  );
  await replaceChildren(
    {
      parentOf: (l) => l.purchaseOrderId,
      keyOf: (l) => position(l),
      find: (ids) =>
        tx.purchaseOrderLine.findMany({
          where: { purchaseOrderId: { in: ids } },
          select: purchaseOrderLineFields,
        }),
      deleteFor: (ids) =>
        tx.purchaseOrderLine.deleteMany({ where: { purchaseOrderId: { in: ids } } }),
      createMany: (data) => insertRows(tx, 'PurchaseOrderLine', data),
    },
    rows.purchaseOrders.map((po) => po.id),
    purchaseOrdersBefore,
    rows.purchaseOrderLines,
  );

  const deliveriesBefore = await upsertRows(
    {
      find: (ids) => tx.delivery.findMany({ where: { id: { in: ids } }, select: deliveryFields }),
      createMany: (data) => tx.delivery.createMany({ data }),
      update: ({ id, ...data }) => tx.delivery.update({ where: { id }, data }),
    },
    rows.deliveries,
  );
  await replaceChildren(
    {
      parentOf: (l) => l.deliveryId,
      keyOf: (l) => position(l),
      find: (ids) =>
        tx.deliveryLine.findMany({
          where: { deliveryId: { in: ids } },
          select: deliveryLineFields,
        }),
      deleteFor: (ids) => tx.deliveryLine.deleteMany({ where: { deliveryId: { in: ids } } }),
      createMany: (data) => insertRows(tx, 'DeliveryLine', data),
    },
    rows.deliveries.map((d) => d.id),
    deliveriesBefore,
    rows.deliveryLines,
  );

  const invoicesBefore = await upsertRows(
    {
      find: (ids) => tx.invoice.findMany({ where: { id: { in: ids } }, select: invoiceFields }),
      createMany: (data) => tx.invoice.createMany({ data }),
      update: ({ id, ...data }) => tx.invoice.update({ where: { id }, data }),
    },
    rows.invoices,
  );
  await replaceChildren(
    {
      parentOf: (l) => l.invoiceId,
      keyOf: (l) => position(l),
      find: (ids) =>
        tx.invoiceLine.findMany({ where: { invoiceId: { in: ids } }, select: invoiceLineFields }),
      deleteFor: (ids) => tx.invoiceLine.deleteMany({ where: { invoiceId: { in: ids } } }),
      createMany: (data) => insertRows(tx, 'InvoiceLine', data),
    },
    rows.invoices.map((i) => i.id),
    invoicesBefore,
    rows.invoiceLines,
  );

  await upsertRows(
    {
      find: (ids) => tx.payment.findMany({ where: { id: { in: ids } }, select: paymentFields }),
      createMany: (data) => tx.payment.createMany({ data }),
      update: ({ id, ...data }) => tx.payment.update({ where: { id }, data }),
    },
    rows.payments,
  );
}

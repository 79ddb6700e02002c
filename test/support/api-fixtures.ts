// Billing records and helpers for the API tests. Each invoice bills one unit of one SKU whose
// contract price is 100.00 (no tax), so the billed unit price alone decides the findings:
// 150.00 → a 50.00 overcharge, 90.00 → a 10.00 undercharge, 100.00 → no discrepancy.
import type { Stack } from './stack';
import { waitFor } from './temporal';

export const CONTRACT_PRICE = '100.00';

const ADDRESS = { line1: '1 Test Way', city: 'Springfield', postalCode: '12345', country: 'US' };

export interface InvoiceSpec {
  id: string;
  /** Billed unit price of the single unit, e.g. "150.00". */
  billed: string;
  issuedAt?: string;
}

function purchaseOrderOf(customerId: string, invoiceId: string): { id: string; lineId: string } {
  return { id: `PO-${invoiceId}`, lineId: `PO-${invoiceId}-1` };
}

/** One invoice record in the bundle format (also the body of POST /v1/invoices). */
export function invoiceRecord(customerId: string, spec: InvoiceSpec): Record<string, unknown> {
  const po = purchaseOrderOf(customerId, spec.id);
  const issuedAt = spec.issuedAt ?? '2026-03-05';
  return {
    id: spec.id,
    customerId,
    purchaseOrderId: po.id,
    issuedAt,
    dueAt: '2026-12-31',
    currency: 'USD',
    taxRate: '0',
    billingAddress: ADDRESS,
    subtotal: spec.billed,
    tax: '0.00',
    total: spec.billed,
    lines: [
      {
        id: `${spec.id}-1`,
        sku: 'WIDGET',
        poLineId: po.lineId,
        quantity: 1,
        unitPrice: spec.billed,
        discountPercent: '0',
        lineTotal: spec.billed,
      },
    ],
  };
}

/** The purchase order and delivery an invoice of invoiceRecord needs (import them first). */
export function orderRecords(
  customerId: string,
  invoiceId: string,
): { purchaseOrders: unknown[]; deliveries: unknown[] } {
  const po = purchaseOrderOf(customerId, invoiceId);
  return {
    purchaseOrders: [
      {
        id: po.id,
        customerId,
        contractId: `K-${customerId}`,
        date: '2026-02-01',
        lines: [{ id: po.lineId, sku: 'WIDGET', quantity: 1 }],
      },
    ],
    deliveries: [
      {
        id: `DL-${invoiceId}`,
        purchaseOrderId: po.id,
        date: '2026-02-15',
        lines: [{ poLineId: po.lineId, quantity: 1 }],
      },
    ],
  };
}

/** A customer, its contract, and one order, delivery and invoice per spec. */
export function customerBundle(
  customerId: string,
  invoices: readonly InvoiceSpec[],
): Record<string, unknown[]> {
  const orders = invoices.map((i) => orderRecords(customerId, i.id));
  return {
    customers: [
      {
        id: customerId,
        name: `Customer ${customerId}`,
        email: `ap@${customerId.toLowerCase()}.example`,
        currency: 'USD',
        taxRate: '0',
        billingAddress: ADDRESS,
      },
    ],
    contracts: [
      {
        id: `K-${customerId}`,
        customerId,
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
        prices: [{ sku: 'WIDGET', unitPrice: CONTRACT_PRICE }],
        discounts: [],
      },
    ],
    purchaseOrders: orders.flatMap((o) => o.purchaseOrders),
    deliveries: orders.flatMap((o) => o.deliveries),
    invoices: invoices.map((i) => invoiceRecord(customerId, i)),
    payments: [],
  };
}

export function disputeBody(
  customerId: string,
  invoiceId: string,
  reason = 'pricing_error',
): Record<string, unknown> {
  return {
    customerId,
    invoiceId,
    reason,
    description: `Test dispute on ${invoiceId}`,
    contact: { name: 'Dana Lee', email: 'dana@example.com' },
  };
}

/** Opens a dispute through the API and waits until its workflow has put it in `phase`. */
export async function openInPhase(
  stack: Stack,
  customerId: string,
  invoiceId: string,
  phase: string,
  reason = 'pricing_error',
): Promise<any> {
  const opened = await stack.call('POST', '/v1/disputes', {
    role: 'agent',
    body: disputeBody(customerId, invoiceId, reason),
  });
  if (opened.status !== 201)
    throw new Error(`open ${invoiceId}: ${opened.status} ${JSON.stringify(opened.body)}`);
  return waitForPhase(stack, opened.body.id, phase);
}

export async function waitForPhase(
  stack: Stack,
  id: string,
  phase: string,
  timeoutMs = 30_000,
): Promise<any> {
  return waitFor(
    async () => {
      const got = await stack.call('GET', `/v1/disputes/${id}`, { role: 'auditor' });
      return got.body?.phase === phase && got.body;
    },
    { what: `dispute ${id} in ${phase}`, timeoutMs, intervalMs: 100 },
  );
}

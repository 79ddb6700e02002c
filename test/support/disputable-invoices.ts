// Invoices a load test can dispute: each a copy of sample customer C-200's overcharge, so every
// `pricing_error` dispute on one is acknowledged, investigated and awaits a decision.

/** Invoices per generated customer: each investigation loads the customer's other invoices. */
const INVOICES_PER_CUSTOMER = 50;
const address = { line1: '12 Harbor Way', city: 'Providence', postalCode: '02903', country: 'US' };

export interface DisputableInvoice {
  id: string;
  customerId: string;
}

/**
 * Copies of sample customer C-200 (contract K-200) with `count` invoices that bill one SRV-1U at
 * 4,350.00 against the contract's 4,200.00: each a 160.50 overcharge with tax, so a `pricing_error`
 * dispute on it is acknowledged, investigated and, under the default policy, awaits a decision.
 * Ids start with `prefix`; every invoice has its own PO line and delivery.
 */
export function disputableInvoices(
  prefix: string,
  count: number,
): { bundle: Record<string, unknown[]>; invoices: DisputableInvoice[] } {
  const bundle: Record<string, unknown[]> = {
    customers: [],
    contracts: [],
    purchaseOrders: [],
    deliveries: [],
    invoices: [],
  };
  const invoices: DisputableInvoice[] = [];
  for (let c = 0; c * INVOICES_PER_CUSTOMER < count; c += 1) {
    const customerId = `C-${prefix}${c}`;
    const contractId = `K-${prefix}${c}`;
    const po = `PO-${prefix}${c}`;
    const size = Math.min(INVOICES_PER_CUSTOMER, count - c * INVOICES_PER_CUSTOMER);
    const lines = Array.from({ length: size }, (_, i) => ({
      id: `${po}-${i + 1}`,
      sku: 'SRV-1U',
      quantity: 1,
    }));
    bundle.customers!.push({
      id: customerId,
      name: `Contoso Labs ${prefix}${c}`,
      email: `billing-${prefix.toLowerCase()}${c}@contoso.example`,
      currency: 'USD',
      taxRate: '0.07',
      billingAddress: address,
      locale: 'en',
    });
    bundle.contracts!.push({
      id: contractId,
      customerId,
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      prices: [{ sku: 'SRV-1U', unitPrice: '4200.00' }],
      discounts: [],
    });
    bundle.purchaseOrders!.push({ id: po, customerId, contractId, date: '2026-06-01', lines });
    bundle.deliveries!.push({
      id: `DL-${prefix}${c}`,
      purchaseOrderId: po,
      date: '2026-06-02',
      lines: lines.map((l) => ({ poLineId: l.id, quantity: 1 })),
    });
    for (const line of lines) {
      const id = `INV-${line.id}`;
      bundle.invoices!.push({
        id,
        customerId,
        purchaseOrderId: po,
        issuedAt: '2026-06-10',
        dueAt: '2026-07-10',
        currency: 'USD',
        taxRate: '0.07',
        billingAddress: address,
        lines: [
          {
            id: `${id}-1`,
            sku: 'SRV-1U',
            poLineId: line.id,
            quantity: 1,
            unitPrice: '4350.00',
            discountPercent: '0',
            lineTotal: '4350.00',
          },
        ],
        subtotal: '4350.00',
        tax: '304.50',
        total: '4654.50',
      });
      invoices.push({ id, customerId });
    }
  }
  return { bundle, invoices };
}

// Invoices a load test can dispute: each a copy of sample customer C-200's overcharge, so every
// `pricing_error` dispute on one is acknowledged, investigated and awaits a decision; and clean
// invoices of the same customers, with nothing for an investigation to find.
import { parseDecimal } from '../../domain/decimal';
import { taxOn } from '../../domain/investigation/amounts';
import { add, formatAmount, money, parseAmount } from '../../domain/money';

/** Invoices per generated customer: each investigation loads the customer's other invoices. */
const INVOICES_PER_CUSTOMER = 50;
const address = { line1: '12 Harbor Way', city: 'Providence', postalCode: '02903', country: 'US' };

/** An import bundle's records, by kind. */
type Bundle = Record<
  'customers' | 'contracts' | 'purchaseOrders' | 'deliveries' | 'invoices',
  unknown[]
>;
const emptyBundle = (): Bundle => ({
  customers: [],
  contracts: [],
  purchaseOrders: [],
  deliveries: [],
  invoices: [],
});

const TAX_RATE = '0.07';

/**
 * An invoice for one SRV-1U at `unitPrice` (USD, as the import format writes it), taxed at the
 * customers' rate with the investigation's own arithmetic.
 */
function serverInvoice(
  ids: { id: string; customerId: string; purchaseOrderId: string; poLineId: string },
  dates: { issuedAt: string; dueAt: string },
  unitPrice: string,
): Record<string, unknown> {
  const price = parseAmount(unitPrice, 'USD');
  const tax = money(taxOn(price.minor, parseDecimal(TAX_RATE)), 'USD');
  return {
    id: ids.id,
    customerId: ids.customerId,
    purchaseOrderId: ids.purchaseOrderId,
    ...dates,
    currency: 'USD',
    taxRate: TAX_RATE,
    billingAddress: address,
    lines: [
      {
        id: `${ids.id}-1`,
        sku: 'SRV-1U',
        poLineId: ids.poLineId,
        quantity: 1,
        unitPrice: formatAmount(price),
        discountPercent: '0',
        lineTotal: formatAmount(price),
      },
    ],
    subtotal: formatAmount(price),
    tax: formatAmount(tax),
    total: formatAmount(add(price, tax)),
  };
}

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
  const bundle = emptyBundle();
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
    bundle.customers.push({
      id: customerId,
      name: `Contoso Labs ${prefix}${c}`,
      email: `billing-${prefix.toLowerCase()}${c}@contoso.example`,
      currency: 'USD',
      taxRate: TAX_RATE,
      billingAddress: address,
      locale: 'en',
    });
    bundle.contracts.push({
      id: contractId,
      customerId,
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      prices: [{ sku: 'SRV-1U', unitPrice: '4200.00' }],
      discounts: [],
    });
    bundle.purchaseOrders.push({ id: po, customerId, contractId, date: '2026-06-01', lines });
    bundle.deliveries.push({
      id: `DL-${prefix}${c}`,
      purchaseOrderId: po,
      date: '2026-06-02',
      lines: lines.map((l) => ({ poLineId: l.id, quantity: 1 })),
    });
    for (const line of lines) {
      const id = `INV-${line.id}`;
      bundle.invoices.push(
        serverInvoice(
          { id, customerId, purchaseOrderId: po, poLineId: line.id },
          { issuedAt: '2026-06-10', dueAt: '2026-07-10' },
          '4350.00',
        ),
      );
      invoices.push({ id, customerId });
    }
  }
  return { bundle, invoices };
}

/**
 * One clean invoice per customer of `disputableInvoices` (ids `C-<prefix><n>`), billed at its
 * contract's 4,200.00 in a PO and delivery of its own: an invoice a dispute in monitoring can be
 * told of (`newInvoice`) with nothing in it to find.
 */
export function cleanInvoices(customers: readonly string[]): {
  bundle: Record<string, unknown[]>;
  invoiceOf: Map<string, string>;
} {
  const bundle = emptyBundle();
  const invoiceOf = new Map<string, string>();
  for (const customerId of customers) {
    const suffix = customerId.slice(2);
    const po = `PO-${suffix}-N`;
    const id = `INV-${suffix}-N`;
    bundle.purchaseOrders.push({
      id: po,
      customerId,
      contractId: `K-${suffix}`,
      date: '2026-07-01',
      lines: [{ id: `${po}-1`, sku: 'SRV-1U', quantity: 1 }],
    });
    bundle.deliveries.push({
      id: `DL-${suffix}-N`,
      purchaseOrderId: po,
      date: '2026-07-02',
      lines: [{ poLineId: `${po}-1`, quantity: 1 }],
    });
    bundle.invoices.push(
      serverInvoice(
        { id, customerId, purchaseOrderId: po, poLineId: `${po}-1` },
        { issuedAt: '2026-07-10', dueAt: '2026-08-10' },
        '4200.00',
      ),
    );
    invoiceOf.set(customerId, id);
  }
  return { bundle, invoiceOf };
}

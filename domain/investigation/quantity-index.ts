import type { InvestigationInput } from './input';
import type { Invoice } from './records';

/** Quantities the rules look up per PO line or SKU, each computed in one pass. */
export interface QuantityIndex {
  /** Delivered quantity per PO line (deliveries of the invoice's PO). */
  delivered: ReadonlyMap<string, bigint>;
  /** Quantity per PO line billed on invoices issued before the investigated one. */
  billedBefore: ReadonlyMap<string, bigint>;
  /** Quantity per PO line billed on all the customer's invoices, the investigated one included. */
  billedOverall: ReadonlyMap<string, bigint>;
  /** Per SKU, the customer's quantity billed within the contract's validity (if it has a retroactive discount). */
  billedPerSkuInContract: ReadonlyMap<string, bigint>;
}

/** The README's order: earlier `issuedAt`, then smaller id (plain string order). */
export function isIssuedBefore(a: Invoice, b: Invoice): boolean {
  return a.issuedAt < b.issuedAt || (a.issuedAt === b.issuedAt && a.id < b.id);
}

function addTo(map: Map<string, bigint>, key: string, quantity: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + quantity);
}

// Adds only to keys already present: other invoices mostly bill PO lines the rules never read.
function addToKnown(map: Map<string, bigint>, key: string, quantity: bigint): void {
  const current = map.get(key);
  if (current !== undefined) map.set(key, current + quantity);
}

export function buildQuantityIndex(input: InvestigationInput): QuantityIndex {
  const { invoice, purchaseOrder, contract } = input;
  const delivered = new Map<string, bigint>();
  for (const delivery of input.deliveries) {
    if (delivery.purchaseOrderId !== purchaseOrder.id) continue;
    for (const line of delivery.lines) addTo(delivered, line.poLineId, BigInt(line.quantity));
  }

  const billedBefore = new Map<string, bigint>();
  const billedOverall = new Map<string, bigint>();
  for (const line of purchaseOrder.lines) billedOverall.set(line.id, 0n);
  for (const line of invoice.lines) {
    billedBefore.set(line.poLineId, 0n);
    addTo(billedOverall, line.poLineId, BigInt(line.quantity));
  }

  const retroactive = contract.discounts.some((discount) => discount.kind === 'retroactive');
  const billedPerSkuInContract = new Map<string, bigint>();
  const inContract = (issuedAt: string): boolean =>
    retroactive && issuedAt >= contract.validFrom && issuedAt <= contract.validTo;
  if (inContract(invoice.issuedAt)) {
    for (const line of invoice.lines) {
      addTo(billedPerSkuInContract, line.sku, BigInt(line.quantity));
    }
  }

  for (const other of input.otherInvoices) {
    if (other.id === invoice.id || other.customerId !== invoice.customerId) continue;
    const before = isIssuedBefore(other, invoice);
    const countSku = inContract(other.issuedAt);
    for (const line of other.lines) {
      const quantity = BigInt(line.quantity);
      addToKnown(billedOverall, line.poLineId, quantity);
      if (before) addToKnown(billedBefore, line.poLineId, quantity);
      if (countSku) addTo(billedPerSkuInContract, line.sku, quantity);
    }
  }
  return { delivered, billedBefore, billedOverall, billedPerSkuInContract };
}

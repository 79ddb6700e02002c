import type { InvestigationInput, Invoice, InvoiceLine } from '../../domain/investigation';

// A large account: one invoice of many lines against a long billing history. Every
// `errorEvery`-th line is overpriced and its PO line was also billed before.
// Shared by the scaling test and `npm run bench`.

export const LINES = 10_000;
export const EARLIER_INVOICES = 1_000;

export interface BigInputSize {
  /** Lines on the investigated invoice (a multiple of 10: ten deliveries share them). */
  lines: number;
  /** The customer's earlier invoices, 20 lines each. */
  earlierInvoices: number;
}
const LINES_PER_EARLIER_INVOICE = 20;
const SKUS = 500;

const usd = (minor: bigint): { minor: bigint; currency: string } => ({ minor, currency: 'USD' });
const address = { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
const sku = (i: number): string => `SKU-${i % SKUS}`;
const contractPrice = (i: number): bigint => 1000n + BigInt(i % 13) * 25n;

function roundedLineTotal(
  quantity: number,
  price: bigint,
  percent: bigint,
  tenths: bigint,
): bigint {
  const den = 1000n;
  const num = BigInt(quantity) * price * (den - percent * 10n - tenths);
  return (2n * num + den) / (2n * den);
}

function invoice(id: string, issuedAt: string, lines: InvoiceLine[]): Invoice {
  const subtotal = lines.reduce((sum, line) => sum + line.lineTotal.minor, 0n);
  const tax = (2n * subtotal * 825n + 10000n) / 20000n;
  return {
    id,
    customerId: 'C-1',
    purchaseOrderId: 'PO-1',
    issuedAt,
    dueAt: '2026-12-31',
    currency: 'USD',
    taxRate: '0.0825',
    billingAddress: address,
    subtotal: usd(subtotal),
    tax: usd(tax),
    total: usd(subtotal + tax),
    lines,
  };
}

export function bigInput(
  errorEvery: number,
  { lines: lineCount, earlierInvoices }: BigInputSize = {
    lines: LINES,
    earlierInvoices: EARLIER_INVOICES,
  },
): InvestigationInput {
  const quantity = (i: number): number => 1 + (i % 40);
  const lines: InvoiceLine[] = Array.from({ length: lineCount }, (_, i) => {
    const q = quantity(i);
    // The contract's discounts: PROMO (7.5 %) for SKU-1 in September, else VOL (5 %) from 20.
    const [percent, text] = i % SKUS === 1 ? [7n, '7.5'] : q >= 20 ? [5n, '5'] : [0n, '0'];
    const tenths = text === '7.5' ? 5n : 0n;
    const price = contractPrice(i % SKUS) + (i % errorEvery === 0 ? 700n : 0n);
    return {
      id: `INV-X-${i}`,
      sku: sku(i),
      poLineId: `PO-1-${i}`,
      quantity: q,
      unitPrice: usd(price),
      discountPercent: text,
      lineTotal: usd(roundedLineTotal(q, price, percent, tenths)),
    };
  });
  const earlier = Array.from({ length: earlierInvoices }, (_, n) =>
    invoice(
      `INV-E-${n}`,
      `2026-0${1 + (n % 8)}-1${n % 10}`,
      Array.from({ length: LINES_PER_EARLIER_INVOICE }, (_, i) => {
        const line = n * LINES_PER_EARLIER_INVOICE + i;
        const doubleBilled = ((line / errorEvery) * 50 + 1) % lineCount;
        return {
          id: `INV-E-${n}-${i}`,
          sku: sku(line),
          poLineId: line % errorEvery === 0 ? `PO-1-${doubleBilled}` : `PO-OLD-${line}`,
          quantity: 1,
          unitPrice: usd(1000n),
          discountPercent: '0',
          lineTotal: usd(1000n),
        };
      }),
    ),
  );
  return {
    invoice: invoice('INV-X', '2026-09-15', lines),
    customer: {
      id: 'C-1',
      name: 'Big Customer',
      email: 'ap@big.example',
      currency: 'USD',
      taxRate: '0.0825',
      locale: 'en',
      billingAddress: address,
    },
    purchaseOrder: {
      id: 'PO-1',
      customerId: 'C-1',
      contractId: 'K-1',
      date: '2026-01-05',
      lines: Array.from({ length: lineCount }, (_, i) => ({
        id: `PO-1-${i}`,
        sku: sku(i),
        quantity: quantity(i),
      })),
    },
    deliveries: Array.from({ length: 10 }, (_, d) => ({
      id: `DL-${d}`,
      purchaseOrderId: 'PO-1',
      date: '2026-02-01',
      lines: Array.from({ length: lineCount / 10 }, (_, i) => {
        const line = d * (lineCount / 10) + i;
        return { poLineId: `PO-1-${line}`, quantity: quantity(line) };
      }),
    })),
    contract: {
      id: 'K-1',
      customerId: 'C-1',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      prices: Array.from({ length: SKUS }, (_, i) => ({
        sku: sku(i),
        unitPrice: usd(contractPrice(i)),
      })),
      discounts: [
        { id: 'VOL', kind: 'volume', sku: '*', percent: '5', minQuantity: 20 },
        {
          id: 'PROMO',
          kind: 'promotion',
          sku: 'SKU-1',
          percent: '7.5',
          from: '2026-09-01',
          to: '2026-09-30',
        },
        { id: 'RETRO', kind: 'retroactive', sku: 'SKU-2', percent: '2', minQuantity: 1_000_000 },
      ],
    },
    otherInvoices: earlier,
    reason: null,
  };
}

import { compareDecimal, type Decimal } from '../decimal';
import { discountedAmount } from './amounts';
import type { ContractTerms, ExpectedDiscount } from './contract-terms';
import type { QuantityIndex } from './quantity-index';
import type { Invoice, InvoiceLine } from './records';

/** One invoice line worked through the README's T0…T4 (amounts in minor units). */
export interface LineEvaluation {
  line: InvoiceLine;
  q: bigint;
  /** The quantity that may still be billed for the PO line. */
  qOk: bigint;
  delivered: bigint;
  billedOnEarlierInvoices: bigint;
  billedOnEarlierLines: bigint;
  p: bigint;
  /** Contract price, or undefined when the contract has none for the SKU on the invoice date. */
  c: bigint | undefined;
  d: Decimal;
  skuTotalInContract: bigint;
  expected: ExpectedDiscount;
  t0: bigint;
  t1: bigint;
  t2: bigint;
  t3: bigint;
  t4: bigint;
}

function samePercent(a: Decimal, b: Decimal): boolean {
  return a === b || compareDecimal(a, b) === 0;
}

function clamp(value: bigint, max: bigint): bigint {
  return value < 0n ? 0n : value > max ? max : value;
}

/** Evaluates the lines in order, so earlier lines of the same PO line reduce later ones' `qOk`. */
export function evaluateLines(
  invoice: Invoice,
  index: QuantityIndex,
  terms: ContractTerms,
  decimal: (text: string) => Decimal,
): LineEvaluation[] {
  const billedOnThisInvoice = new Map<string, bigint>();
  return invoice.lines.map((line) => {
    const q = BigInt(line.quantity);
    const delivered = index.delivered.get(line.poLineId) ?? 0n;
    const billedOnEarlierInvoices = index.billedBefore.get(line.poLineId) ?? 0n;
    const billedOnEarlierLines = billedOnThisInvoice.get(line.poLineId) ?? 0n;
    billedOnThisInvoice.set(line.poLineId, billedOnEarlierLines + q);
    const qOk = clamp(delivered - billedOnEarlierInvoices - billedOnEarlierLines, q);

    const p = line.unitPrice.minor;
    const d = decimal(line.discountPercent);
    const c = terms.priceOf(line.sku);
    const skuTotalInContract = index.billedPerSkuInContract.get(line.sku) ?? 0n;
    const expected = terms.expectedDiscount(line.sku, qOk, skuTotalInContract);

    // Equal inputs give equal terms, which spares most lines three of the four products.
    const t1 = discountedAmount(q, p, d);
    const t2 = qOk === q ? t1 : discountedAmount(qOk, p, d);
    // Without a contract price there is nothing to compare price or discount against.
    const t3 = c === undefined || c === p ? t2 : discountedAmount(qOk, c, d);
    const t4 =
      c === undefined || samePercent(expected.percent, d)
        ? t3
        : discountedAmount(qOk, c, expected.percent);
    return {
      line,
      q,
      qOk,
      delivered,
      billedOnEarlierInvoices,
      billedOnEarlierLines,
      p,
      c,
      d,
      skuTotalInContract,
      expected,
      t0: line.lineTotal.minor,
      t1,
      t2,
      t3,
      t4,
    };
  });
}

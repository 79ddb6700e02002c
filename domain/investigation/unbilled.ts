import type { Decimal } from '../decimal';
import { discountedAmount, taxOn } from './amounts';
import type { ContractTerms } from './contract-terms';
import type { Finding } from './finding';
import { makeFinding, type RuleContext } from './rule-context';
import type { QuantityIndex } from './quantity-index';
import type { PurchaseOrder } from './records';
import { amountFormatter, unitsText } from './wording';

/** Delivered but never billed quantities of the invoice's PO: undercharges (negative deltas). */
export function unbilledFindings(
  purchaseOrder: PurchaseOrder,
  index: QuantityIndex,
  terms: ContractTerms,
  taxRate: Decimal,
  context: RuleContext,
): Finding[] {
  const money = amountFormatter(context.currency);
  const findings: Finding[] = [];
  for (const poLine of purchaseOrder.lines) {
    const delivered = index.delivered.get(poLine.id) ?? 0n;
    const billed = index.billedOverall.get(poLine.id) ?? 0n;
    const unbilled = delivered - billed;
    if (unbilled <= 0n) continue;

    const head =
      `PO line ${poLine.id} (SKU ${poLine.sku}) has ${delivered} delivered but ${billed} billed ` +
      `on all invoices, leaving ${unitsText(unbilled)} unbilled`;
    const c = terms.priceOf(poLine.sku);
    let delta = 0n;
    let explanation: string;
    if (c === undefined) {
      explanation =
        `${head}; contract ${context.contractId} has no price for the SKU on ` +
        `${context.issuedAt}, so they need a person's valuation.`;
    } else {
      const skuTotal = index.billedPerSkuInContract.get(poLine.sku) ?? 0n;
      const { percent } = terms.expectedDiscount(poLine.sku, unbilled, skuTotal);
      const net = discountedAmount(unbilled, c, percent);
      const tax = taxOn(net, taxRate);
      delta = -(net + tax);
      explanation = `${head} worth ${money(net)} plus ${money(tax)} tax.`;
    }
    findings.push(
      makeFinding(context, 'unbilled', poLine.id, delta, `${delivered}`, `${billed}`, explanation),
    );
  }
  return findings;
}

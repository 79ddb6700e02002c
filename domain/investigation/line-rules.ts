import { formatDecimal } from '../decimal';
import type { Finding } from './finding';
import type { LineEvaluation } from './line-evaluation';
import { makeFinding, type RuleContext } from './rule-context';
import { amountFormatter, discountText, percentText, unitsText } from './wording';

function alreadyBilledText(evaluation: LineEvaluation): string {
  const { billedOnEarlierInvoices: invoices, billedOnEarlierLines: lines } = evaluation;
  const parts: string[] = [];
  if (invoices > 0n) parts.push(`${invoices} on earlier invoices`);
  if (lines > 0n) parts.push(`${lines} on earlier lines of this invoice`);
  return `${invoices + lines} already billed (${parts.join(' and ')})`;
}

function quantityFinding(evaluation: LineEvaluation, context: RuleContext): Finding {
  const { line, q, qOk, delivered, t1, t2 } = evaluation;
  // Double billing when earlier billing of the PO line, not a short delivery, lowered qOk.
  const doubleBilled = qOk < (q < delivered ? q : delivered);
  const bills = `Line ${line.id} bills ${unitsText(q)} of SKU ${line.sku}`;
  return makeFinding(
    context,
    doubleBilled ? 'double_billing' : 'quantity',
    line.id,
    t1 - t2,
    qOk.toString(),
    q.toString(),
    doubleBilled
      ? `${bills} for PO line ${line.poLineId}, but ${delivered} were delivered and ` +
          `${alreadyBilledText(evaluation)}, so ${qOk === 0n ? 'none' : qOk} may still be billed.`
      : `${bills} but only ${delivered} of PO line ${line.poLineId} were delivered.`,
  );
}

function discountFinding(evaluation: LineEvaluation, context: RuleContext): Finding {
  const { line, d, expected, t3, t4 } = evaluation;
  const applied = expected.discount;
  const gives = `Line ${line.id} gives a ${percentText(d)} discount on SKU ${line.sku} but`;
  return makeFinding(
    context,
    applied?.kind === 'retroactive' ? 'retroactive_discount' : 'discount',
    line.id,
    t3 - t4,
    formatDecimal(expected.percent),
    formatDecimal(d),
    applied === null
      ? `${gives} no contract discount applies to it.`
      : `${gives} ${discountText(applied, evaluation.skuTotalInContract)} gives ` +
          `${percentText(expected.percent)}.`,
  );
}

/** The line's findings in the README's order: arithmetic, quantity/double billing, pricing, discount. */
export function lineFindings(evaluation: LineEvaluation, context: RuleContext): Finding[] {
  const { line, q, p, c, d, t0, t1, t2, t3, t4 } = evaluation;
  const findings: Finding[] = [];
  if (t0 === t1 && t1 === t2 && t2 === t3 && t3 === t4 && c !== undefined) return findings;
  const money = amountFormatter(context.currency);

  if (t0 !== t1) {
    const discount = d.coefficient === 0n ? '' : ` less ${percentText(d)}`;
    const explanation = `Line ${line.id} totals ${money(t0)} but ${q} × ${money(p)}${discount} is ${money(t1)}.`;
    findings.push(
      makeFinding(context, 'arithmetic', line.id, t0 - t1, money(t1), money(t0), explanation),
    );
  }
  if (t1 !== t2) findings.push(quantityFinding(evaluation, context));
  if (c === undefined) {
    const explanation =
      `Line ${line.id} bills SKU ${line.sku} at ${money(p)} but contract ${context.contractId} ` +
      `has no price for it on ${context.issuedAt}; the price needs a person's review.`;
    findings.push(makeFinding(context, 'pricing', line.id, 0n, null, money(p), explanation));
  } else if (t2 !== t3) {
    const explanation =
      `Line ${line.id} bills SKU ${line.sku} at ${money(p)} but the contract price on ` +
      `${context.issuedAt} is ${money(c)}.`;
    findings.push(
      makeFinding(context, 'pricing', line.id, t2 - t3, money(c), money(p), explanation),
    );
  }
  if (t3 !== t4) findings.push(discountFinding(evaluation, context));
  return findings;
}

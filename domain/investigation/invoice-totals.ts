import { toPercent, type Decimal } from '../decimal';
import { taxOn } from './amounts';
import type { Finding } from './finding';
import type { LineEvaluation } from './line-evaluation';
import { makeFinding, type RuleContext } from './rule-context';
import type { Invoice } from './records';
import { amountFormatter, percentText } from './wording';

/** Subtotal arithmetic, tax, and total arithmetic of the invoice, in that order. */
export function invoiceTotalFindings(
  invoice: Invoice,
  evaluations: readonly LineEvaluation[],
  taxRate: Decimal,
  context: RuleContext,
): Finding[] {
  const money = amountFormatter(context.currency);
  const findings: Finding[] = [];
  const add = (
    rule: Finding['rule'],
    delta: bigint,
    expected: bigint,
    actual: bigint,
    explanation: string,
  ): void => {
    if (delta !== 0n) {
      findings.push(
        makeFinding(context, rule, null, delta, money(expected), money(actual), explanation),
      );
    }
  };

  let billedLines = 0n;
  let owedNet = 0n;
  for (const evaluation of evaluations) {
    billedLines += evaluation.t0;
    owedNet += evaluation.t4;
  }
  const subtotal = invoice.subtotal.minor;
  const tax = invoice.tax.minor;
  const total = invoice.total.minor;

  add(
    'arithmetic',
    subtotal - billedLines,
    billedLines,
    subtotal,
    `Invoice ${invoice.id} has a subtotal of ${money(subtotal)} but its line totals add up to ` +
      `${money(billedLines)}.`,
  );

  const owedTax = taxOn(owedNet, taxRate);
  add(
    'tax',
    tax - owedTax,
    owedTax,
    tax,
    `Invoice ${invoice.id} charges ${money(tax)} tax but ${percentText(toPercent(taxRate))} of ` +
      `the ${money(owedNet)} owed before tax is ${money(owedTax)}.`,
  );

  const sumOfParts = subtotal + tax;
  add(
    'arithmetic',
    total - sumOfParts,
    sumOfParts,
    total,
    `Invoice ${invoice.id} has a total of ${money(total)} but its subtotal ${money(subtotal)} ` +
      `plus tax ${money(tax)} is ${money(sumOfParts)}.`,
  );
  return findings;
}

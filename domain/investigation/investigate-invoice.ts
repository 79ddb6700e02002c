import { parseDecimal } from '../decimal';
import { alreadyCorrectedFindings } from './already-corrected';
import { billingDetailsFindings } from './billing-details';
import { buildContractTerms } from './contract-terms';
import { decimalCache } from './decimal-cache';
import type { Finding, InvestigationResult } from './finding';
import type { InvestigationInput } from './input';
import { invoiceTotalFindings } from './invoice-totals';
import { evaluateLines } from './line-evaluation';
import { lineFindings } from './line-rules';
import { buildQuantityIndex } from './quantity-index';
import type { RuleContext } from './rule-context';
import { unbilledFindings } from './unbilled';
import { validateInput } from './validate-input';
import { decideVerdict } from './verdict';

/**
 * Runs every rule of sample-data/README.md on one invoice, compared with the invoice as the
 * corrections already posted on it left it (`already_corrected`). Pure and deterministic; throws
 * InvestigationInputError when the records do not belong together.
 */
export function investigateInvoice(input: InvestigationInput): InvestigationResult {
  validateInput(input);
  const { invoice, customer, purchaseOrder, contract } = input;
  const context: RuleContext = {
    invoiceId: invoice.id,
    issuedAt: invoice.issuedAt,
    currency: invoice.currency,
    contractId: contract.id,
  };
  const taxRate = parseDecimal(customer.taxRate);
  const index = buildQuantityIndex(input);
  const terms = buildContractTerms(contract, invoice.issuedAt);
  const evaluations = evaluateLines(invoice, index, terms, decimalCache());

  const findings: Finding[] = [];
  for (const evaluation of evaluations) findings.push(...lineFindings(evaluation, context));
  findings.push(
    ...invoiceTotalFindings(invoice, evaluations, taxRate, context),
    ...unbilledFindings(purchaseOrder, index, terms, taxRate, context),
    ...billingDetailsFindings(invoice, customer, context),
    ...alreadyCorrectedFindings(input.corrections ?? [], context),
  );

  let total = 0n;
  for (const finding of findings) total += finding.delta.minor;
  const totalDelta = { minor: total, currency: invoice.currency };
  return {
    findings,
    totalDelta,
    verdict: decideVerdict(
      totalDelta,
      findings.length,
      input.reason,
      findings.some((f) => f.rule === 'already_corrected'),
    ),
  };
}

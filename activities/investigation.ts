// Runs the investigation rules on a dispute's invoice and stores the findings.
import {
  investigateInvoice,
  toInvestigationResultDto,
  type InvestigationInput,
  type InvestigationResultDto,
} from '../domain/investigation';
import { loadInvestigationInput } from '../store/billing/records';
import { onBillingData } from './billing-data';
import { replaceFindings } from '../store/disputes/read-model';
import type { ActivityDeps } from './deps';

export interface DiscountClause {
  reference: string;
  summary: string;
}

export interface InvestigationOutcome extends InvestigationResultDto {
  /** The contract's discounts on the invoice's SKUs, for the explanation when there is no error. */
  discountClauses: DiscountClause[];
}

/** Plain words for a contract discount, e.g. "volume: 5% on SW-24 from 100 units". */
function describeDiscount(input: InvestigationInput): DiscountClause[] {
  const skus = new Set(input.invoice.lines.map((l) => l.sku));
  return input.contract.discounts
    .filter((d) => d.sku === '*' || skus.has(d.sku))
    .map((d) => {
      const on = d.sku === '*' ? 'every SKU' : d.sku;
      const when =
        d.kind === 'promotion'
          ? `for invoices issued ${d.from} to ${d.to}`
          : d.kind === 'volume'
            ? `from ${d.minQuantity} units on one invoice line`
            : `once ${d.minQuantity} units are invoiced within the contract period, applied retroactively`;
      return {
        reference: `${input.contract.id}/${d.id}`,
        summary: `${d.kind}: ${d.percent}% on ${on} ${when}`,
      };
    });
}

export interface InvestigateRequest {
  disputeId: string;
  invoiceId: string;
  reason: string | null;
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types
export function createInvestigationActivities({ db }: ActivityDeps) {
  return {
    /** Non-retryable failures: BILLING_DATA_PROBLEMS (see billing-data.ts). */
    async investigate(request: InvestigateRequest): Promise<InvestigationOutcome> {
      const context = { activity: 'investigate', ...request };
      const { input, result } = await onBillingData(context, async () => {
        const loaded = await loadInvestigationInput(db, request.invoiceId, request.reason);
        return { input: loaded, result: toInvestigationResultDto(investigateInvoice(loaded)) };
      });
      await replaceFindings(db, request.disputeId, result.findings);
      return { ...result, discountClauses: describeDiscount(input) };
    },
  };
}

// Runs the investigation rules on a dispute's invoice and stores the findings.
import { ApplicationFailure } from '@temporalio/activity';
import {
  investigateInvoice,
  toInvestigationResultDto,
  type InvestigationInput,
  type InvestigationResultDto,
} from '../domain/investigation';
import { loadInvestigationInput, MissingRecordError } from '../store/billing/records';
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
    async investigate(request: InvestigateRequest): Promise<InvestigationOutcome> {
      let input: InvestigationInput;
      try {
        input = await loadInvestigationInput(db, request.invoiceId, request.reason);
      } catch (error) {
        if (error instanceof MissingRecordError) {
          throw ApplicationFailure.create({
            message: error.message,
            type: error.name,
            nonRetryable: true,
            cause: error,
          });
        }
        throw error;
      }
      const result = toInvestigationResultDto(investigateInvoice(input));
      await replaceFindings(db, request.disputeId, result.findings);
      return { ...result, discountClauses: describeDiscount(input) };
    },
  };
}

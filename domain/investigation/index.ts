export { investigateInvoice } from './investigate-invoice';
export { investigationInputFor } from './input-from-records';
export {
  BILLING_DATA_PROBLEMS,
  InvestigationInputError,
  type BillingDataProblem,
  type InvestigationInput,
} from './input';
export {
  FINDING_RULES,
  VERDICTS,
  discrepancyOf,
  findingValueKind,
  type FindingValueKind,
  type Finding,
  type FindingRule,
  type InvestigationResult,
  type Verdict,
} from './finding';
export {
  fromFindingDto,
  fromInvestigationResultDto,
  toFindingDto,
  toInvestigationResultDto,
  type FindingDto,
  type InvestigationResultDto,
} from './dto';
export { REVIEW_REASONS, decideVerdict } from './verdict';
export type * from './records';

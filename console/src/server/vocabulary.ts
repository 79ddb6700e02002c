// The API's enumerations as lists for forms. Each list is checked against the generated client's
// types both ways, so a value added to or removed from the API fails the console's type check.
import type { paths } from './openapi.gen';

type OpenBody = paths['/v1/disputes']['post']['requestBody']['content']['application/json'];
type DecisionBody =
  paths['/v1/disputes/{id}/decision']['post']['requestBody']['content']['application/json'];
type FindingsBody =
  paths['/v1/disputes/{id}/findings']['post']['requestBody']['content']['application/json'];
type ListParams = NonNullable<paths['/v1/disputes']['get']['parameters']['query']>;

/** `T` when the list holds exactly the members of `U`, else a type error at the list. */
type Exactly<U, L extends readonly U[]> = [Exclude<U, L[number]>] extends [never] ? L : never;
const exactly =
  <U>() =>
  <const L extends readonly U[]>(list: Exactly<U, L>): L =>
    list;

export type Phase = NonNullable<ListParams['phase']>;
export type Reason = OpenBody['reason'];
export type DecisionKind = DecisionBody['resolution'];
export type Verdict = FindingsBody['verdict'];
export type FindingRule = FindingsBody['findings'][number]['rule'];

export const PHASES = exactly<Phase>()([
  'acknowledging',
  'investigating',
  'awaiting_review',
  'awaiting_decision',
  'awaiting_approval',
  'awaiting_customer',
  'mediation',
  'correcting',
  'monitoring',
  'closed',
]);

export const REASONS = exactly<Reason>()([
  'pricing_error',
  'quantity_mismatch',
  'double_billing',
  'discount_not_applied',
  'tax_error',
  'billing_details',
  'undercharge',
  'service_not_rendered',
  'discount_request',
  'other',
]);

export const DECISIONS = exactly<DecisionKind>()([
  'credit_note',
  'refund',
  'corrected_invoice',
  'debit_note',
  'payment_plan',
  'write_off',
  'reject',
]);

export const VERDICTS = exactly<Verdict>()([
  'overcharged',
  'undercharged',
  'no_discrepancy',
  'needs_review',
]);

export const FINDING_RULES = exactly<FindingRule>()([
  'arithmetic',
  'quantity',
  'double_billing',
  'pricing',
  'discount',
  'retroactive_discount',
  'tax',
  'unbilled',
  'billing_details',
  'already_corrected',
]);

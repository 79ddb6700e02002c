// The vocabulary of a dispute, shared by workflows, activities and the API.
import type { MoneyDto } from './money';

export type { MoneyDto };

export const PHASES = [
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
] as const;
export type Phase = (typeof PHASES)[number];

export const REASONS = [
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
] as const;
export type Reason = (typeof REASONS)[number];

export { VERDICTS, type Verdict } from './investigation/finding';

export const RESOLUTIONS = [
  'corrected',
  'no_error',
  'withdrawn',
  'written_off',
  'mediated',
] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const DECISIONS = [
  'credit_note',
  'refund',
  'corrected_invoice',
  'debit_note',
  'payment_plan',
  'write_off',
  'reject',
] as const;
export type DecisionKind = (typeof DECISIONS)[number];

export interface Contact {
  name: string;
  email: string;
}

export interface Evidence {
  name: string;
  url: string;
}

export type { FindingDto, InvestigationResultDto } from './investigation/dto';

/** Who did something: an API caller (role and key label), the system, or a timer. */
export type Actor = string;

export const SYSTEM_ACTOR: Actor = 'system';

/** Who a dispute escalates to, level by level. */
export const ESCALATION_LEVELS = [
  'agent',
  'team_lead',
  'billing_manager',
  'finance_legal',
] as const;

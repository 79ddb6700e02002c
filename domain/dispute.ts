// The vocabulary of a dispute, shared by workflows, activities and the API.
import type { MoneyDto } from './money';
import type { Policy } from './policy';

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

/** Every phase but `closed`. */
export const OPEN_PHASES: readonly Phase[] = PHASES.filter((phase) => phase !== 'closed');

/** Phases that wait on a person and so have a deadline that escalates. */
export const WAITING_PHASES = [
  'awaiting_review',
  'awaiting_decision',
  'awaiting_approval',
  'awaiting_customer',
  'mediation',
] as const satisfies readonly Phase[];
export type WaitingPhase = (typeof WAITING_PHASES)[number];

export function isWaitingPhase(phase: Phase): phase is WaitingPhase {
  return (WAITING_PHASES as readonly Phase[]).includes(phase);
}

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

/** Who a dispute escalates to, level by level (the policy's escalation ladder). */
export { ESCALATION_LEVELS } from './escalation-levels';

/** What a caller asks for when opening a dispute (the API's body, the scan's review request). */
export interface DisputeOpening {
  customerId: string;
  invoiceId: string;
  reason: Reason;
  description: string;
  lineIds?: string[] | undefined;
  claimedAmount?: MoneyDto | undefined;
  contact: Contact;
  evidence?: Evidence[] | undefined;
}

/** The dispute workflow's input: the dispute as opened, and the policy in force at that moment. */
export interface DisputeInput {
  disputeId: string;
  customerId: string;
  customerName: string;
  invoiceId: string;
  currency: string;
  locale: 'en' | 'fr';
  reason: Reason;
  description: string;
  lineIds: string[];
  claimedAmount: MoneyDto | null;
  contact: Contact;
  evidence: Evidence[];
  openedBy: Actor;
  openedAt: string;
  /** Internal review cases (proactive scan) send nothing to the customer. */
  internal: boolean;
  policy: Policy;
}

/** Every dispute runs as workflow `dispute-<id>`. */
export const workflowIdOf = (disputeId: string): string => `dispute-${disputeId}`;

// The dispute lifecycle as one table: from which phase each event leads where, and which actions
// each phase allows. The workflow applies it (`next`); the README's state diagram is generated from
// it (lifecycle-diagram.ts), and a test fails when the two disagree.
import {
  OPEN_PHASES,
  PHASES,
  WAITING_PHASES,
  type DecisionKind,
  type Phase,
  type Resolution,
  type Verdict,
} from './dispute';
import type { Money } from './money';
import type { Policy } from './policy';
import { afterRejection, autoResolution, needsApproval } from './policy-rules';

/** What happened to a dispute, with the facts that decide where it goes. */
export type DisputeEvent =
  | { type: 'acknowledged' }
  | {
      type: 'investigated';
      verdict: Verdict | null;
      totalDelta: Money | null;
      /** Internal cases and reasons the rules cannot judge get a person's review first. */
      reviewFirst: boolean;
    }
  /** The rules could not run on the invoice's records (missing, inconsistent): a person looks. */
  | { type: 'investigation_failed' }
  | { type: 'findings_reviewed'; verdict: Verdict; totalDelta: Money }
  | { type: 'decided'; kind: DecisionKind; amount: Money | null; byManager: boolean }
  | { type: 'approved'; kind: DecisionKind }
  | { type: 'sent_back' }
  | { type: 'customer_accepted' }
  | { type: 'customer_rejected'; round: number }
  | { type: 'mediation_concluded'; agreed: boolean }
  | { type: 'corrected'; kind: DecisionKind }
  /** The ledger refused the agreed correction (the records changed since the decision). */
  | { type: 'correction_failed' }
  /** A manager reversed a posted correction: it was wrong, and a new decision follows. */
  | { type: 'reversed' }
  | { type: 'monitoring_ended'; mediated: boolean }
  | { type: 'withdrawn' }
  | { type: 'reopened' };

export type EventType = DisputeEvent['type'];

/** The fact that picks an event's destination when it has more than one, in words. */
export const OUTCOMES = {
  needs_review: 'needs review',
  no_discrepancy: 'no discrepancy',
  auto_credit: 'overcharge within auto-approve limit',
  auto_write_off: 'undercharge within write-off limit',
  manual: 'a person decides',
  reject: 'reject',
  above_limit: 'above agent limit',
  write_off: 'write-off',
  offer: 'offer',
  rounds_left: 'rounds left',
  last_round: 'last round',
  agreed: 'agreed',
  not_agreed: 'not agreed',
  monitor: 'monitor',
  corrected: 'corrected',
  mediated: 'mediated',
} as const;
export type Outcome = keyof typeof OUTCOMES;

export interface TransitionRule {
  from: readonly Phase[];
  on: EventType;
  /** The outcome this rule applies to; a rule without one applies whatever the outcome. */
  when?: Outcome;
  to: Phase;
  /** Set when the rule closes the dispute. */
  resolution?: Resolution;
}

/** Once corrections are being posted the books change; withdrawing then would leave them half done. */
const WITHDRAWABLE: readonly Phase[] = OPEN_PHASES.filter((p) => p !== 'correcting');

/** Where findings lead, first from the investigation and again after a person's review. */
function afterFindings(from: Phase, on: 'investigated' | 'findings_reviewed'): TransitionRule[] {
  return [
    { from: [from], on, when: 'no_discrepancy', to: 'closed', resolution: 'no_error' },
    { from: [from], on, when: 'auto_credit', to: 'awaiting_customer' },
    { from: [from], on, when: 'auto_write_off', to: 'correcting' },
    { from: [from], on, when: 'manual', to: 'awaiting_decision' },
  ];
}

export const TRANSITIONS: readonly TransitionRule[] = [
  { from: ['acknowledging'], on: 'acknowledged', to: 'investigating' },
  { from: ['investigating'], on: 'investigated', when: 'needs_review', to: 'awaiting_review' },
  { from: ['investigating'], on: 'investigation_failed', to: 'awaiting_review' },
  ...afterFindings('investigating', 'investigated'),
  ...afterFindings('awaiting_review', 'findings_reviewed'),
  {
    from: ['awaiting_decision'],
    on: 'decided',
    when: 'reject',
    to: 'closed',
    resolution: 'no_error',
  },
  { from: ['awaiting_decision'], on: 'decided', when: 'above_limit', to: 'awaiting_approval' },
  { from: ['awaiting_decision'], on: 'decided', when: 'write_off', to: 'correcting' },
  { from: ['awaiting_decision'], on: 'decided', when: 'offer', to: 'awaiting_customer' },
  { from: ['awaiting_approval'], on: 'approved', when: 'write_off', to: 'correcting' },
  { from: ['awaiting_approval'], on: 'approved', when: 'offer', to: 'awaiting_customer' },
  { from: ['awaiting_approval'], on: 'sent_back', to: 'awaiting_decision' },
  { from: ['awaiting_customer'], on: 'customer_accepted', to: 'correcting' },
  {
    from: ['awaiting_customer'],
    on: 'customer_rejected',
    when: 'rounds_left',
    to: 'awaiting_decision',
  },
  { from: ['awaiting_customer'], on: 'customer_rejected', when: 'last_round', to: 'mediation' },
  { from: ['mediation'], on: 'mediation_concluded', when: 'agreed', to: 'correcting' },
  {
    from: ['mediation'],
    on: 'mediation_concluded',
    when: 'not_agreed',
    to: 'closed',
    resolution: 'mediated',
  },
  {
    from: ['correcting'],
    on: 'corrected',
    when: 'write_off',
    to: 'closed',
    resolution: 'written_off',
  },
  { from: ['correcting'], on: 'corrected', when: 'monitor', to: 'monitoring' },
  { from: ['correcting'], on: 'correction_failed', to: 'awaiting_decision' },
  { from: ['monitoring', 'closed'], on: 'reversed', to: 'awaiting_decision' },
  {
    from: ['monitoring'],
    on: 'monitoring_ended',
    when: 'corrected',
    to: 'closed',
    resolution: 'corrected',
  },
  {
    from: ['monitoring'],
    on: 'monitoring_ended',
    when: 'mediated',
    to: 'closed',
    resolution: 'mediated',
  },
  { from: WITHDRAWABLE, on: 'withdrawn', to: 'closed', resolution: 'withdrawn' },
  { from: ['closed'], on: 'reopened', to: 'awaiting_decision' },
];

function findingsOutcome(
  verdict: Verdict | null,
  totalDelta: Money | null,
  reviewFirst: boolean,
  policy: Policy,
): Outcome {
  if (verdict === null || verdict === 'needs_review' || totalDelta === null || reviewFirst)
    return 'needs_review';
  switch (autoResolution(verdict, totalDelta, policy).kind) {
    case 'explain_no_error':
      return 'no_discrepancy';
    case 'offer_credit':
      return 'auto_credit';
    case 'write_off':
      return 'auto_write_off';
    case 'manual':
      return 'manual';
  }
}

/** The outcome that picks among an event's rules, from its facts and the policy. */
export function outcomeOf(event: DisputeEvent, policy: Policy): Outcome | null {
  switch (event.type) {
    case 'investigated':
      return findingsOutcome(event.verdict, event.totalDelta, event.reviewFirst, policy);
    case 'findings_reviewed':
      return findingsOutcome(event.verdict, event.totalDelta, false, policy);
    case 'decided':
      if (event.kind === 'reject') return 'reject';
      if (needsApproval(event.amount, event.byManager, policy)) return 'above_limit';
      return event.kind === 'write_off' ? 'write_off' : 'offer';
    case 'approved':
      return event.kind === 'write_off' ? 'write_off' : 'offer';
    case 'customer_rejected':
      return afterRejection(event.round, policy) === 'mediation' ? 'last_round' : 'rounds_left';
    case 'mediation_concluded':
      return event.agreed ? 'agreed' : 'not_agreed';
    case 'corrected':
      return event.kind === 'write_off' ? 'write_off' : 'monitor';
    case 'monitoring_ended':
      return event.mediated ? 'mediated' : 'corrected';
    default:
      return null;
  }
}

export interface Transition {
  from: Phase;
  to: Phase;
  resolution: Resolution | null;
  outcome: Outcome | null;
}

/** Where `event` takes a dispute in `phase`, or null when the phase does not accept it. */
export function next(phase: Phase, event: DisputeEvent, policy: Policy): Transition | null {
  const outcome = outcomeOf(event, policy);
  const rule = TRANSITIONS.find(
    (r) => r.on === event.type && r.from.includes(phase) && (r.when ?? outcome) === outcome,
  );
  if (!rule) return null;
  return { from: phase, to: rule.to, resolution: rule.resolution ?? null, outcome };
}

/** The phases in which an event of this type can happen at all. */
function phasesAccepting(...types: EventType[]): Phase[] {
  return PHASES.filter((phase) =>
    TRANSITIONS.some((r) => types.includes(r.on) && r.from.includes(phase)),
  );
}

export const ACTIONS = [
  'assign',
  'note',
  'submitFindings',
  'decide',
  'approve',
  'customerResponse',
  'escalate',
  'withdraw',
  'mediationOutcome',
  'reopen',
  'reverse',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Where each action is allowed: the table's phases for actions that move the dispute. */
const ALLOWED: Record<Action, readonly Phase[]> = {
  assign: OPEN_PHASES,
  note: PHASES,
  escalate: WAITING_PHASES,
  submitFindings: phasesAccepting('findings_reviewed'),
  decide: phasesAccepting('decided'),
  approve: phasesAccepting('approved', 'sent_back'),
  customerResponse: phasesAccepting('customer_accepted', 'customer_rejected'),
  withdraw: phasesAccepting('withdrawn'),
  mediationOutcome: phasesAccepting('mediation_concluded'),
  reopen: phasesAccepting('reopened'),
  reverse: phasesAccepting('reversed'),
};

export function actionAllowed(action: Action, phase: Phase): boolean {
  return ALLOWED[action].includes(phase);
}

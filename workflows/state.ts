// The dispute workflow's in-memory state. Pure data: it survives replay and continue-as-new.
import type {
  Actor,
  DecisionKind,
  DisputeInput,
  FindingDto,
  MoneyDto,
  Phase,
  Resolution,
  Verdict,
} from '../domain/dispute';

export interface Offer {
  kind: DecisionKind;
  amount: MoneyDto | null;
  installments: number | null;
  explanation: string | null;
  round: number;
  decidedBy: Actor;
  approvedBy: Actor | null;
}

export interface DisputeView {
  id: string;
  phase: Phase;
  resolution: Resolution | null;
  verdict: Verdict | null;
  findings: FindingDto[];
  totalDelta: MoneyDto | null;
  escalationLevel: number;
  assignee: string | null;
  deadline: string | null;
  offer: Offer | null;
  round: number;
  rootCause: string | null;
  closedAt: string | null;
  /** How many times the view was written to the read model (its version there). */
  version: number;
}

export function initialView(input: DisputeInput): DisputeView {
  return {
    id: input.disputeId,
    phase: 'acknowledging',
    resolution: null,
    verdict: null,
    findings: [],
    totalDelta: null,
    escalationLevel: 0,
    assignee: null,
    deadline: null,
    offer: null,
    round: 1,
    rootCause: null,
    closedAt: null,
    version: 0,
  };
}

/** State the workflow needs beyond the view: timers' bookkeeping and monitoring progress. */
export interface Runtime {
  reminderAt: string | null;
  reminderSent: boolean;
  offerSentAt: string | null;
  reopenRequested: boolean;
  /** Set once an agent submitted reviewed findings. */
  reviewed: boolean;
  /** Set once mediation concluded, so the final resolution reads `mediated`. */
  mediated: boolean;
  discountClauses: { reference: string; summary: string }[];
  /** Numbers every email's step key, so Message-IDs stay unique across rounds, reopenings and runs. */
  emailSeq: number;
  /** Ids of the corrections posted, for the confirmation and the ledger's idempotency keys. */
  corrections: number;
  /** The documents corrections posted, as the confirmation named them (for a reversal's email). */
  posted?: PostedDocument[];
  /** Numbers the reversal steps, for the ledger's idempotency keys. */
  reversals?: number;
  monitoring: MonitoringState | null;
  /** Updates completed lately, by update id: a client's retry gets the same answer, once. */
  completedUpdates?: CompletedUpdate[];
  /** Messages queued but not yet delivered when the run continued as new. */
  undelivered?: string[];
}

/** What an action answers: small, so update results never weigh on the history. */
export interface ActionResult {
  disputeId: string;
  phase: Phase;
}

export interface CompletedUpdate {
  id: string;
  result: ActionResult;
}

/** A document a correction posted, as the workflow remembers it. */
export interface PostedDocument {
  kind: string;
  documentNumber: string;
  amount: MoneyDto;
  createdAt: string;
}

/** Payment-plan follow-through: which installments were reminded and escalated, and when. */
export interface PlanWatch {
  /** When the plan is next looked at; null once nothing is left to remind or escalate. */
  checkAt: string | null;
  /** Installment number → when its overdue reminder went out. */
  reminded: Record<string, string>;
  /** Installments escalated as still unpaid after their reminder. */
  escalated: number[];
}

export interface MonitoringState {
  startedAt: string;
  until: string;
  nextSweepAt: string;
  /** The sweep has looked at invoices recorded up to this instant. */
  sweptUntil: string;
  /** Invoices signalled but not yet checked; carried over continue-as-new. */
  pending: string[];
  checked: number;
  /** The invoices checked so far (absent in states saved before it was kept). */
  checkedInvoices?: string[];
  recurrences: number;
  /** The rules of the original findings: a new finding of one of these is a recurrence. */
  rules: string[];
  /** A payment plan's installments followed up (absent for other remedies and older runs). */
  plan?: PlanWatch;
}

/** The dispute workflow's signature, for continue-as-new without importing the workflow module. */
export type DisputeWorkflow = (input: DisputeInput, resume?: Resume) => Promise<DisputeView>;

/** What continue-as-new carries into the next run. */
export interface Resume {
  view: DisputeView;
  runtime: Runtime;
}

export function initialRuntime(): Runtime {
  return {
    reminderAt: null,
    reminderSent: false,
    offerSentAt: null,
    reopenRequested: false,
    reviewed: false,
    mediated: false,
    discountClauses: [],
    emailSeq: 0,
    corrections: 0,
    monitoring: null,
    completedUpdates: [],
    undelivered: [],
  };
}

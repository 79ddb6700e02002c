// What Settle tells people: one discriminated union of every email it sends, with the data each
// carries. Workflows build these; email/ renders them in the reader's language.
import type { DecisionKind, MoneyDto, Phase, Reason } from './dispute';

export type Locale = 'en' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'fr'];

/** A decimal string with its currency, exactly as the API and workflow payloads carry money. */
export type Money = MoneyDto;
/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;
/** An instant, RFC 3339 (`2026-03-05T17:00:00Z`). */
export type IsoDateTime = string;

/** 0 agent, 1 team lead, 2 billing manager, 3 finance director / legal. */
export type EscalationLevel = 0 | 1 | 2 | 3;

/** Narrows the dispute view's numeric level; anything outside 0–3 is a bug upstream. */
export function toEscalationLevel(level: number): EscalationLevel {
  if (level === 0 || level === 1 || level === 2 || level === 3) return level;
  throw new RangeError(`escalation level must be 0 to 3, got ${level}`);
}

/** What the customer is offered; `reject` is a decision, never an offer. */
export type Remedy = Exclude<DecisionKind, 'reject'>;

export interface Installment {
  dueOn: IsoDate;
  amount: Money;
}

export type Proposal =
  | { remedy: Exclude<Remedy, 'payment_plan'>; amount: Money }
  | { remedy: 'payment_plan'; amount: Money; installments: readonly Installment[] };

/** A finding as the investigation reports it; `delta` is positive when the customer was overcharged. */
export interface EmailFinding {
  rule: string;
  invoiceId: string;
  lineId: string | null;
  expected: string | null;
  actual: string | null;
  delta: Money;
}

export type CorrectionDocument =
  | { type: 'credit_note'; number: string; issuedOn: IsoDate; amount: Money; appliesTo: string }
  | {
      type: 'corrected_invoice';
      number: string;
      issuedOn: IsoDate;
      /** The corrected invoice's new total. */
      amount: Money;
      replaces: string;
      dueOn: IsoDate | null;
    }
  | { type: 'debit_note'; number: string; issuedOn: IsoDate; amount: Money; dueOn: IsoDate }
  | { type: 'refund'; number: string; issuedOn: IsoDate; amount: Money };

export interface DiscountClause {
  reference: string;
  summary: string;
}

interface CaseRef {
  /** The dispute id, e.g. `D-ABC123`; every subject carries it. */
  caseNumber: string;
  invoiceNumber: string;
}

interface CustomerMail extends CaseRef {
  contactName: string;
}

interface StaffMail extends CaseRef {
  recipientName: string;
  customerName: string;
  /** Link to the case in the console (http or https). */
  caseUrl?: string | null;
}

export interface AcknowledgementData extends CustomerMail {
  reason: Reason;
  openedAt: IsoDateTime;
  findingsDueBy: IsoDateTime;
  claimedAmount?: Money | null;
  description?: string | null;
}

export interface FindingsData extends CustomerMail {
  verdict: 'overcharged' | 'undercharged' | 'no_discrepancy';
  findings: readonly EmailFinding[];
  totalDelta: Money;
  /** When the customer hears what we propose. */
  proposalBy?: IsoDateTime | null;
}

export interface OfferData extends CustomerMail {
  proposal: Proposal;
  respondBy: IsoDateTime;
  round: number;
  explanation?: string | null;
}

export interface ReminderData extends CustomerMail {
  proposal: Proposal;
  offeredAt: IsoDateTime;
  respondBy: IsoDateTime;
}

export interface CorrectionConfirmationData extends CustomerMail {
  documents: readonly CorrectionDocument[];
  monitoringUntil?: IsoDate | null;
}

export interface NoErrorExplanationData extends CustomerMail {
  reason: Reason;
  explanation?: string | null;
  /** Contract clauses that could give a discount; empty when there are none. */
  discountClauses: readonly DiscountClause[];
}

export interface PaymentPlanScheduleData extends CustomerMail {
  total: Money;
  installments: readonly Installment[];
}

export interface MonitoringClosedData extends CustomerMail {
  monitoredFrom: IsoDate;
  monitoredUntil: IsoDate;
  invoicesChecked: number;
  /** Recurrences found (and handled by staff) while monitoring. */
  recurrencesFound: number;
}

export interface AssignmentData extends StaffMail {
  assignee: string;
  assignedBy?: string | null;
  reason: Reason;
  phase: Phase;
  escalationLevel: EscalationLevel;
  deadline?: IsoDateTime | null;
  claimedAmount?: Money | null;
  totalDelta?: Money | null;
}

export interface EscalationData extends StaffMail {
  level: EscalationLevel;
  trigger: 'deadline_missed' | 'manual' | 'installment_overdue';
  phase: Phase;
  /** The deadline that passed (deadline_missed). */
  missedDeadline?: IsoDateTime | null;
  /** Who escalated and why (manual). */
  escalatedBy?: string | null;
  comment?: string | null;
  newDeadline: IsoDateTime;
  assignee?: string | null;
  totalDelta?: Money | null;
}

export interface ApprovalRequestedData extends StaffMail {
  requestedBy: string;
  proposal: Proposal;
  agentLimit: Money;
  explanation?: string | null;
  totalDelta?: Money | null;
  approveBy: IsoDateTime;
}

export interface CustomerRejectedData extends StaffMail {
  proposal: Proposal;
  round: number;
  maxRounds: number;
  comment?: string | null;
  nextStep: 'new_round' | 'mediation';
  decideBy?: IsoDateTime | null;
}

export interface RecurrenceFoundData extends StaffMail {
  newInvoiceNumber: string;
  findings: readonly EmailFinding[];
  totalDelta: Money;
  monitoringUntil: IsoDate;
}

export interface MediationStartedData extends StaffMail {
  rounds: number;
  lastProposal?: Proposal | null;
  totalDelta?: Money | null;
  mediator?: string | null;
  outcomeBy: IsoDateTime;
}

/** A posted correction was wrong: its documents are reversed, and a new decision follows. */
export interface CorrectionReversedData extends CustomerMail {
  /** The documents reversed, as the correction confirmation named them. */
  reversed: readonly CorrectionDocument[];
  /** The reversing documents' numbers, one per reversed document. */
  reversals: readonly string[];
  reason: string;
}

/** A payment-plan installment is overdue: what is due, since when, and what remains. */
export interface InstallmentOverdueData extends CustomerMail {
  installment: number;
  installments: number;
  dueOn: IsoDate;
  amount: Money;
  /** Paid on this installment so far (a partial payment). */
  paid: Money;
}

/** Posting the agreed correction was refused by the books; the dispute awaits a new decision. */
export interface CorrectionFailedData extends StaffMail {
  proposal: Proposal;
  /** Why the ledger refused it, in the ledger's words. */
  problem: string;
  decideBy?: IsoDateTime | null;
}

/** A customer wrote about the dispute (an email reply or a note on the response page). */
export interface CustomerMessageData extends StaffMail {
  /** The sender's address as the message gave it. */
  from: string;
  /** `email`: a reply received over SMTP; `web`: a note from the response page. */
  channel: 'email' | 'web';
  receivedAt: IsoDateTime;
  subject: string;
  /** The start of the text, for reading in the notification itself. */
  excerpt: string;
  /** The sender is neither the dispute's contact nor of the customer's domain. */
  flagged: boolean;
  attachments: readonly { name: string; size: number }[];
}

interface Kinds {
  acknowledgement: AcknowledgementData;
  findings: FindingsData;
  offer: OfferData;
  reminder: ReminderData;
  correction_confirmation: CorrectionConfirmationData;
  no_error_explanation: NoErrorExplanationData;
  payment_plan_schedule: PaymentPlanScheduleData;
  monitoring_closed: MonitoringClosedData;
  correction_reversed: CorrectionReversedData;
  installment_overdue: InstallmentOverdueData;
  assignment: AssignmentData;
  escalation: EscalationData;
  approval_requested: ApprovalRequestedData;
  customer_rejected: CustomerRejectedData;
  recurrence_found: RecurrenceFoundData;
  mediation_started: MediationStartedData;
  correction_failed: CorrectionFailedData;
  customer_message: CustomerMessageData;
}

export type EmailKind = keyof Kinds;
export type EmailDataOf<K extends EmailKind> = Kinds[K];

/** One email to render: `{ kind, data }`, with `data` typed by `kind`. */
export type EmailMessage = { [K in EmailKind]: { kind: K; data: Kinds[K] } }[EmailKind];

export type Audience = 'customer' | 'staff';

const AUDIENCES: Record<EmailKind, Audience> = {
  acknowledgement: 'customer',
  findings: 'customer',
  offer: 'customer',
  reminder: 'customer',
  correction_confirmation: 'customer',
  no_error_explanation: 'customer',
  payment_plan_schedule: 'customer',
  monitoring_closed: 'customer',
  correction_reversed: 'customer',
  installment_overdue: 'customer',
  assignment: 'staff',
  escalation: 'staff',
  approval_requested: 'staff',
  customer_rejected: 'staff',
  recurrence_found: 'staff',
  mediation_started: 'staff',
  correction_failed: 'staff',
  customer_message: 'staff',
};

export const EMAIL_KINDS = Object.keys(AUDIENCES) as readonly EmailKind[];

/** Customers get the case in their own words; staff get the operational view. */
export function audienceOf(kind: EmailKind): Audience {
  return AUDIENCES[kind];
}

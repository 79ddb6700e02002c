// The API's codes in the words people use.
const PHASE: Record<string, string> = {
  acknowledging: 'Acknowledging',
  investigating: 'Investigating',
  awaiting_review: 'Awaiting review',
  awaiting_decision: 'Awaiting decision',
  awaiting_approval: 'Awaiting approval',
  awaiting_customer: 'Awaiting customer',
  mediation: 'In mediation',
  correcting: 'Correcting',
  monitoring: 'Monitoring',
  closed: 'Closed',
};

const REASON: Record<string, string> = {
  pricing_error: 'Pricing error',
  quantity_mismatch: 'Quantity mismatch',
  double_billing: 'Double billing',
  discount_not_applied: 'Discount not applied',
  tax_error: 'Tax error',
  billing_details: 'Billing details',
  undercharge: 'Undercharge',
  service_not_rendered: 'Service not rendered',
  discount_request: 'Discount request',
  other: 'Other',
};

const DECISION: Record<string, string> = {
  credit_note: 'Credit note',
  refund: 'Refund',
  corrected_invoice: 'Corrected invoice',
  debit_note: 'Debit note',
  payment_plan: 'Payment plan',
  write_off: 'Write-off',
  reject: 'Reject the claim',
};

const RESOLUTION: Record<string, string> = {
  corrected: 'Corrected',
  no_error: 'No error',
  withdrawn: 'Withdrawn',
  written_off: 'Written off',
  mediated: 'Mediated',
};

const VERDICT: Record<string, string> = {
  overcharged: 'Overcharged',
  undercharged: 'Undercharged',
  no_discrepancy: 'No discrepancy',
  needs_review: 'Needs review',
};

const RULE: Record<string, string> = {
  pricing: 'Price above contract',
  quantity: 'Quantity above delivered',
  double_billing: 'Billed twice',
  discount: 'Discount not applied',
  retroactive_discount: 'Retroactive discount not applied',
  tax: 'Tax',
  arithmetic: 'Arithmetic',
  unbilled: 'Delivered but not billed',
  billing_details: 'Billing details differ',
  already_corrected: 'Already corrected',
};

const ESCALATION = ['Agent', 'Team lead', 'Billing manager', 'Finance / legal'];

const EVENT: Record<string, string> = {
  opened: 'Opened',
  acknowledged: 'Acknowledged',
  investigated: 'Investigation finished',
  assigned: 'Assigned',
  note: 'Note',
  findings_submitted: 'Findings reviewed',
  decided: 'Decided',
  approved: 'Approved',
  sent_back: 'Sent back',
  auto_resolved: 'Resolved by policy',
  offer_sent: 'Offer sent',
  customer_accepted: 'Customer accepted',
  customer_rejected: 'Customer rejected',
  customer_responded: 'Customer answered',
  escalated: 'Escalated',
  withdrawn: 'Withdrawn',
  mediation_outcome: 'Mediation outcome',
  corrected: 'Correction posted',
  correction_failed: 'Correction refused by the ledger',
  correction_reversed: 'Correction reversed',
  installment_overdue: 'Installment overdue',
  monitoring_sweep: 'Monitoring sweep',
  invoice_checked: 'Invoice checked',
  recurrence_found: 'Recurrence found',
  monitoring_ended: 'Monitoring ended',
  reopened: 'Reopened',
  reminder_sent: 'Reminder sent',
  phase_changed: 'Phase changed',
  closed: 'Closed',
  email_queued: 'Email queued',
  email_sent: 'Email delivered',
  email_failed: 'Email failed',
};

const ROLE: Record<string, string> = {
  operations: 'Operations',
  agent: 'Agent',
  manager: 'Manager',
  auditor: 'Auditor',
};

const words = (table: Record<string, string>, code: string): string =>
  table[code] ?? code.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

export const phaseWords = (code: string): string => words(PHASE, code);
export const reasonWords = (code: string): string => words(REASON, code);
export const decisionWords = (code: string): string => words(DECISION, code);
export const resolutionWords = (code: string): string => words(RESOLUTION, code);
export const verdictWords = (code: string): string => words(VERDICT, code);
export const ruleWords = (code: string): string => words(RULE, code);
export const eventWords = (code: string): string => words(EVENT, code);
export const roleWords = (code: string): string => words(ROLE, code);
export const escalationWords = (level: number): string =>
  ESCALATION[level] ?? `Level ${String(level)}`;

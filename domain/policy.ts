// The dispute policy: limits, deadlines and contacts. Captured into each workflow when the
// dispute opens, so a later edit never changes a running dispute.
import { z } from 'zod';
import { ESCALATION_LEVELS } from './escalation-levels';

export { ESCALATION_LEVELS };

const amountString = z.string().regex(/^\d+(\.\d+)?$/, 'a non-negative decimal amount');

export const policySchema = z.object({
  /** Overcharges at or under this get a credit-note offer without a person (invoice currency). */
  autoApproveLimit: amountString,
  /** Undercharges at or under this are written off. */
  writeOffLimit: amountString,
  /** Agents may decide up to this amount; above it a manager approves. */
  agentLimit: amountString,
  /** Business days each waiting phase may take before it escalates. */
  deadlines: z.object({
    review: z.number().int().positive(),
    decision: z.number().int().positive(),
    approval: z.number().int().positive(),
    customer: z.number().int().positive(),
    mediation: z.number().int().positive(),
  }),
  /** Business days before the customer deadline when a reminder goes out. */
  reminderBeforeDays: z.number().int().nonnegative(),
  maxRounds: z.number().int().positive(),
  monitoringDays: z.number().int().positive(),
  monitoringSweepDays: z.number().int().positive(),
  /** ISO dates (YYYY-MM-DD) that are not business days. */
  holidays: z.array(z.iso.date()),
  /** Who is emailed at each escalation level (index = level). */
  contacts: z
    .array(z.object({ name: z.string().min(1), email: z.email() }))
    .length(ESCALATION_LEVELS.length),
  /** Business days after an installment's due date before the customer is reminded. */
  installmentGraceDays: z.number().int().nonnegative(),
  /** Business days after that reminder before an installment still unpaid escalates. */
  installmentEscalationDays: z.number().int().positive(),
  /** Proactive scan opens a review case above this absolute delta. */
  scanThreshold: amountString,
});

export type Policy = z.infer<typeof policySchema>;

export const DEFAULT_POLICY: Policy = {
  autoApproveLimit: '100.00',
  writeOffLimit: '25.00',
  agentLimit: '1000.00',
  deadlines: { review: 3, decision: 2, approval: 2, customer: 10, mediation: 15 },
  reminderBeforeDays: 3,
  maxRounds: 3,
  monitoringDays: 90,
  monitoringSweepDays: 7,
  holidays: [],
  contacts: [
    { name: 'Billing agents', email: 'agents@settle.local' },
    { name: 'Team lead', email: 'team-lead@settle.local' },
    { name: 'Billing manager', email: 'billing-manager@settle.local' },
    { name: 'Finance director / legal', email: 'finance-legal@settle.local' },
  ],
  installmentGraceDays: 5,
  installmentEscalationDays: 10,
  scanThreshold: '0.00',
};

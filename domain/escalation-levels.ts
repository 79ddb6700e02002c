// The escalation ladder on its own: workflows need it, and importing it from the policy's module
// would put zod into the workflow bundle, instantiated again for every cached workflow.

/** Who a dispute escalates to, level by level; the policy names a contact for each. */
export const ESCALATION_LEVELS = [
  'agent',
  'team_lead',
  'billing_manager',
  'finance_legal',
] as const;

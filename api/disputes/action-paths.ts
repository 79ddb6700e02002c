// Each lifecycle action's address under POST /v1/disputes/{id}/.
import { ACTIONS, actionAllowed, type Action } from '../../domain/lifecycle';
import type { Phase } from '../../domain/dispute';

export const ACTION_PATH = {
  assign: 'assign',
  note: 'notes',
  submitFindings: 'findings',
  decide: 'decision',
  approve: 'approval',
  customerResponse: 'customer-response',
  escalate: 'escalate',
  withdraw: 'withdraw',
  mediationOutcome: 'mediation-outcome',
  reopen: 'reopen',
  reverse: 'reverse',
} as const satisfies Record<Action, string>;

export type ActionPath = (typeof ACTION_PATH)[Action];
export const ACTION_PATHS = ACTIONS.map((a) => ACTION_PATH[a]) as [ActionPath, ...ActionPath[]];

/** The actions the phase allows, by their path. */
export function availableActions(phase: Phase): ActionPath[] {
  return ACTIONS.filter((a) => actionAllowed(a, phase)).map((a) => ACTION_PATH[a]);
}

// Escalation: one level up (agent → team lead → billing manager → finance/legal), the new level's
// contact emailed, and a fresh deadline for the phase.
import type { Actor } from '../domain/dispute';
import type { EscalationData } from '../domain/notifications';
import { isWaitingPhase, SYSTEM_ACTOR } from '../domain/dispute';
import { deadlineDays, nextEscalationLevel } from '../domain/policy-rules';
import type { DisputeContext } from './context';
import * as staff from './notify/staff';

export type EscalationTrigger = EscalationData['trigger'];

export async function escalate(
  ctx: DisputeContext,
  trigger: EscalationTrigger,
  actor: Actor = SYSTEM_ACTOR,
  comment: string | null = null,
): Promise<void> {
  const { view } = ctx;
  const missedDeadline = view.deadline;
  const level = nextEscalationLevel(view.escalationLevel);
  view.escalationLevel = level;
  if (isWaitingPhase(view.phase))
    view.deadline = ctx.businessDaysFromNow(deadlineDays(view.phase, ctx.policy));
  await ctx.project();
  await ctx.record('escalated', actor, {
    level,
    trigger,
    phase: view.phase,
    missedDeadline,
    comment,
  });
  await staff.escalation(ctx, trigger, missedDeadline, actor, comment);
}

// Escalation: one level up (agent → team lead → billing manager → finance/legal), the new level's
// contact emailed, and a fresh deadline for the phase.
import type { Actor } from '../domain/dispute';
import { SYSTEM_ACTOR } from '../domain/dispute';
import { deadlineDays, isWaitingPhase, nextEscalationLevel } from '../domain/lifecycle';
import type { DisputeContext } from './context';
import type { EscalationLevel } from '../domain/notifications';

export type EscalationTrigger = 'deadline_missed' | 'manual';

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
  const contact = ctx.staffContact(level);
  await ctx.email('escalation', contact, {
    kind: 'escalation',
    data: {
      ...ctx.staffRef(contact),
      level: level as EscalationLevel,
      trigger,
      phase: view.phase,
      missedDeadline: trigger === 'deadline_missed' ? missedDeadline : null,
      escalatedBy: trigger === 'manual' ? actor : null,
      comment,
      newDeadline: view.deadline ?? ctx.now().toISOString(),
      assignee: view.assignee,
      totalDelta: view.totalDelta,
    },
  });
}

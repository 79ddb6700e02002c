// Every email to staff, in one place: who gets it (the escalation level's contact, the assignee)
// and what it says. Handlers and phases call these after they changed the dispute.
import type { Actor, Contact, FindingDto, MoneyDto } from '../../domain/dispute';
import { toEscalationLevel, type EscalationData } from '../../domain/notifications';
import { policyLimit } from '../../domain/policy-rules';
import { toMoneyDto } from '../../domain/money';
import type { DisputeContext } from '../context';
import { proposalOf } from '../proposal';
import type { Offer } from '../state';

/** Staff contacts by escalation level (policy.contacts): 0 agents … 3 finance/legal. */
const TEAM = 0;
const MANAGER = 2;

export async function assignment(ctx: DisputeContext, assignee: string, by: Actor): Promise<void> {
  const { view } = ctx;
  const team = ctx.staffContact(TEAM);
  await ctx.email('assignment', team, {
    kind: 'assignment',
    data: {
      ...ctx.staffRef({ ...team, name: assignee }),
      assignee,
      assignedBy: by,
      reason: ctx.input.reason,
      phase: view.phase,
      escalationLevel: toEscalationLevel(Math.min(view.escalationLevel, 3)),
      deadline: view.deadline,
      claimedAmount: ctx.input.claimedAmount,
      totalDelta: view.totalDelta,
    },
  });
}

export async function approvalRequested(
  ctx: DisputeContext,
  offer: Offer,
  by: Actor,
): Promise<void> {
  const { view } = ctx;
  const manager = ctx.staffContact(MANAGER);
  await ctx.email('approval_requested', manager, {
    kind: 'approval_requested',
    data: {
      ...ctx.staffRef(manager),
      requestedBy: by,
      proposal: proposalOf(offer, ctx.now().getTime()),
      agentLimit: toMoneyDto(policyLimit(ctx.policy.agentLimit, ctx.input.currency)),
      explanation: offer.explanation,
      totalDelta: view.totalDelta,
      approveBy: view.deadline ?? ctx.now().toISOString(),
    },
  });
}

/** The customer said no to `rejected`; the team hears it, and a manager when mediation starts. */
export async function customerRejected(
  ctx: DisputeContext,
  rejected: Offer,
  comment: string | null,
  nextStep: 'new_round' | 'mediation',
): Promise<void> {
  const { view } = ctx;
  const team = ctx.staffContact(view.escalationLevel);
  await ctx.email('customer_rejected', team, {
    kind: 'customer_rejected',
    data: {
      ...ctx.staffRef(team),
      proposal: proposalOf(rejected, ctx.now().getTime()),
      round: rejected.round,
      maxRounds: ctx.policy.maxRounds,
      comment,
      nextStep,
      decideBy: view.deadline,
    },
  });
  if (nextStep !== 'mediation') return;
  const manager = ctx.staffContact(MANAGER);
  await ctx.email('mediation_started', manager, {
    kind: 'mediation_started',
    data: {
      ...ctx.staffRef(manager),
      rounds: view.round,
      lastProposal: proposalOf(rejected, ctx.now().getTime()),
      totalDelta: view.totalDelta,
      outcomeBy: view.deadline ?? ctx.now().toISOString(),
    },
  });
}

export async function escalation(
  ctx: DisputeContext,
  trigger: EscalationData['trigger'],
  missedDeadline: string | null,
  by: Actor,
  comment: string | null,
): Promise<void> {
  const { view } = ctx;
  const contact = ctx.staffContact(view.escalationLevel);
  await ctx.email('escalation', contact, {
    kind: 'escalation',
    data: {
      ...ctx.staffRef(contact),
      level: toEscalationLevel(view.escalationLevel),
      trigger,
      phase: view.phase,
      missedDeadline: trigger === 'deadline_missed' ? missedDeadline : null,
      escalatedBy: trigger === 'manual' ? by : null,
      comment,
      newDeadline: view.deadline ?? ctx.now().toISOString(),
      assignee: view.assignee,
      totalDelta: view.totalDelta,
    },
  });
}

/** The assignee (at the team's address, or the team) and the escalation contact, level 1 at least. */
function assigneeAndAbove(ctx: DisputeContext): Contact[] {
  const team = ctx.staffContact(TEAM);
  return [
    { ...team, name: ctx.view.assignee ?? team.name },
    ctx.staffContact(Math.max(ctx.view.escalationLevel, 1)),
  ];
}

/** A new invoice repeats the dispute's error: the assignee (or team) and a level above hear it. */
export async function recurrence(
  ctx: DisputeContext,
  invoiceId: string,
  findings: FindingDto[],
  totalDelta: MoneyDto,
  monitoringUntil: string,
): Promise<void> {
  for (const recipient of assigneeAndAbove(ctx)) {
    await ctx.email('recurrence', recipient, {
      kind: 'recurrence_found',
      data: {
        ...ctx.staffRef(recipient),
        newInvoiceNumber: invoiceId,
        findings,
        totalDelta,
        monitoringUntil,
      },
    });
  }
}

/** The ledger refused the agreed correction: the assignee (or team) and a level above decide again. */
export async function correctionFailed(
  ctx: DisputeContext,
  refused: Offer,
  problem: string,
): Promise<void> {
  for (const recipient of assigneeAndAbove(ctx)) {
    await ctx.email('correction_failed', recipient, {
      kind: 'correction_failed',
      data: {
        ...ctx.staffRef(recipient),
        proposal: proposalOf(refused, ctx.now().getTime()),
        problem,
        decideBy: ctx.view.deadline,
      },
    });
  }
}

// From findings to an agreed remedy: policy's own resolutions, offers to the customer, closing.
import type { Proposal } from '../../domain/notifications';
import { addBusinessDays } from '../../domain/calendar';
import type { Actor, DecisionKind, Resolution } from '../../domain/dispute';
import { SYSTEM_ACTOR } from '../../domain/dispute';
import { REVIEW_REASONS } from '../../domain/investigation/verdict';
import { autoResolution, rootCause } from '../../domain/lifecycle';
import { fromMoneyDto, toMoneyDto } from '../../domain/money';
import { planInstallments } from '../../domain/ledger/payment-plan';
import type { DisputeContext } from '../context';
import type { Offer } from '../state';

/** Where the dispute goes once the investigation is done. */
export async function afterInvestigation(ctx: DisputeContext): Promise<void> {
  const { view } = ctx;
  // Internal review cases and reasons the rules cannot judge always get a person's review first.
  const reviewFirst = ctx.input.internal || REVIEW_REASONS.includes(ctx.input.reason);
  if (
    view.verdict === 'needs_review' ||
    !view.verdict ||
    !view.totalDelta ||
    (reviewFirst && !ctx.runtime.reviewed)
  ) {
    await ctx.enter('awaiting_review');
    return;
  }
  await sendFindings(ctx);
  const auto = autoResolution(view.verdict, fromMoneyDto(view.totalDelta), ctx.policy);
  switch (auto.kind) {
    case 'explain_no_error':
      await explainAndClose(ctx, SYSTEM_ACTOR, null);
      return;
    case 'offer_credit':
      setOffer(
        ctx,
        {
          kind: 'credit_note',
          amount: toMoneyDto(auto.amount),
          installments: null,
          explanation: null,
        },
        SYSTEM_ACTOR,
      );
      await ctx.record('auto_resolved', SYSTEM_ACTOR, {
        remedy: 'credit_note',
        amount: view.offer?.amount,
      });
      await sendOffer(ctx);
      return;
    case 'write_off':
      setOffer(
        ctx,
        {
          kind: 'write_off',
          amount: toMoneyDto(auto.amount),
          installments: null,
          explanation: null,
        },
        SYSTEM_ACTOR,
      );
      await ctx.record('auto_resolved', SYSTEM_ACTOR, {
        remedy: 'write_off',
        amount: view.offer?.amount,
      });
      await ctx.enter('correcting');
      return;
    case 'manual':
      await ctx.enter('awaiting_decision');
  }
}

async function sendFindings(ctx: DisputeContext): Promise<void> {
  const { view } = ctx;
  if (
    !view.totalDelta ||
    (view.verdict !== 'overcharged' &&
      view.verdict !== 'undercharged' &&
      view.verdict !== 'no_discrepancy')
  )
    return;
  await ctx.emailCustomer('findings', {
    kind: 'findings',
    data: {
      ...ctx.customerRef(),
      verdict: view.verdict,
      findings: view.findings,
      totalDelta: view.totalDelta,
      proposalBy: ctx.businessDaysFromNow(ctx.policy.deadlines.decision),
    },
  });
}

export function setOffer(
  ctx: DisputeContext,
  decision: Pick<Offer, 'kind' | 'amount' | 'installments' | 'explanation'>,
  decidedBy: Actor,
): void {
  ctx.view.offer = { ...decision, round: ctx.view.round, decidedBy, approvedBy: null };
}

export function proposalOf(offer: Offer, startMs: number): Proposal {
  const amount = offer.amount;
  // Only `reject` carries no amount, and a rejection is never proposed to anyone.
  if (!amount) throw new Error(`offer ${offer.kind} has no amount`);
  if (offer.kind === 'payment_plan') {
    const installments = planInstallments(
      fromMoneyDto(amount),
      offer.installments ?? 1,
      startMs,
    ).map((i) => ({
      dueOn: i.dueOn,
      amount: toMoneyDto(i.amount),
    }));
    return { remedy: 'payment_plan', amount, installments };
  }
  return { remedy: offer.kind as Exclude<DecisionKind, 'reject' | 'payment_plan'>, amount };
}

/** Puts the offer to the customer: awaiting_customer with a reminder before the deadline. */
export async function sendOffer(ctx: DisputeContext, actor: Actor = SYSTEM_ACTOR): Promise<void> {
  const offer = ctx.view.offer;
  if (!offer) throw new Error('sendOffer without an offer');
  // Write-offs ask nothing of the customer: they go straight to the books.
  if (offer.kind === 'write_off') {
    await ctx.enter('correcting', actor);
    return;
  }
  const now = ctx.now().getTime();
  const { customer } = ctx.policy.deadlines;
  ctx.runtime.offerSentAt = new Date(now).toISOString();
  ctx.runtime.reminderSent = false;
  ctx.runtime.reminderAt = new Date(
    addBusinessDays(
      now,
      Math.max(customer - ctx.policy.reminderBeforeDays, 0),
      ctx.policy.holidays,
    ),
  ).toISOString();
  await ctx.enter('awaiting_customer', actor);
  await ctx.emailCustomer('offer', {
    kind: 'offer',
    data: {
      ...ctx.customerRef(),
      proposal: proposalOf(offer, now),
      respondBy: ctx.view.deadline ?? ctx.businessDaysFromNow(customer),
      round: offer.round,
      explanation: offer.explanation,
    },
  });
}

export async function sendReminder(ctx: DisputeContext): Promise<void> {
  const offer = ctx.view.offer;
  ctx.runtime.reminderSent = true;
  await ctx.record('reminder_sent');
  if (!offer) return;
  await ctx.emailCustomer('reminder', {
    kind: 'reminder',
    data: {
      ...ctx.customerRef(),
      proposal: proposalOf(offer, Date.parse(ctx.runtime.offerSentAt ?? ctx.now().toISOString())),
      offeredAt: ctx.runtime.offerSentAt ?? ctx.now().toISOString(),
      respondBy: ctx.view.deadline ?? ctx.now().toISOString(),
    },
  });
}

export async function closeDispute(
  ctx: DisputeContext,
  resolution: Resolution,
  actor: Actor = SYSTEM_ACTOR,
): Promise<void> {
  const { view } = ctx;
  view.resolution = resolution;
  view.rootCause =
    resolution === 'withdrawn' ? rootCause([], 'withdrawn') : rootCause(view.findings, 'no_error');
  view.closedAt = ctx.now().toISOString();
  ctx.runtime.reopenRequested = false;
  await ctx.enter('closed', actor);
  await ctx.record('closed', actor, { resolution, rootCause: view.rootCause });
}

/** No error to correct: explain the billing policy (and any discount clause) and close as no_error. */
export async function explainAndClose(
  ctx: DisputeContext,
  actor: Actor,
  explanation: string | null,
): Promise<void> {
  const clauses = ctx.runtime.discountClauses;
  await ctx.emailCustomer('no_error', {
    kind: 'no_error_explanation',
    data: {
      ...ctx.customerRef(),
      reason: ctx.input.reason,
      explanation,
      discountClauses: clauses,
    },
  });
  await closeDispute(ctx, 'no_error', actor);
}

// The offer a dispute puts to the customer: what it is, how it reads as a proposal, and sending
// it (awaiting_customer with a reminder before the deadline; a write-off goes straight to the books).
import { addBusinessDays } from '../domain/calendar';
import type { Actor } from '../domain/dispute';
import { SYSTEM_ACTOR } from '../domain/dispute';
import type { Transition } from '../domain/lifecycle';
import type { DisputeContext } from './context';
import * as customer from './notify/customer';
import type { Offer } from './state';

export function setOffer(
  ctx: DisputeContext,
  decision: Pick<Offer, 'kind' | 'amount' | 'installments' | 'explanation'>,
  decidedBy: Actor,
): void {
  ctx.view.offer = { ...decision, round: ctx.view.round, decidedBy, approvedBy: null };
}

/**
 * Takes a transition that puts the offer into effect: to awaiting_customer, with a reminder
 * scheduled before the deadline and the offer emailed; or, for a write-off, to correcting.
 */
export async function sendOffer(
  ctx: DisputeContext,
  transition: Transition,
  actor: Actor = SYSTEM_ACTOR,
): Promise<void> {
  if (!ctx.view.offer) throw new Error('sendOffer without an offer');
  if (transition.to !== 'awaiting_customer') {
    await ctx.enter(transition, actor);
    return;
  }
  const now = ctx.now().getTime();
  const { runtime, policy } = ctx;
  runtime.offerSentAt = new Date(now).toISOString();
  runtime.reminderSent = false;
  runtime.reminderAt = new Date(
    addBusinessDays(
      now,
      Math.max(policy.deadlines.customer - policy.reminderBeforeDays, 0),
      policy.holidays,
    ),
  ).toISOString();
  await ctx.enter(transition, actor);
  await customer.offer(ctx, now);
}

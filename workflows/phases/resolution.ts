// From findings to what happens next, once the investigation (or a person's review) is done: the
// policy's own resolutions (explain and close, offer a credit, write off), or a person decides.
import type { Actor } from '../../domain/dispute';
import { SYSTEM_ACTOR } from '../../domain/dispute';
import type { DisputeEvent, Transition } from '../../domain/lifecycle';
import { abs, fromMoneyDto, toMoneyDto } from '../../domain/money';
import type { DisputeContext } from '../context';
import * as customer from '../notify/customer';
import { sendOffer, setOffer } from '../offers';

type FindingsEvent = Extract<DisputeEvent, { type: 'investigated' | 'findings_reviewed' }>;

export async function afterFindings(ctx: DisputeContext, event: FindingsEvent): Promise<void> {
  const { view } = ctx;
  const transition = ctx.plan(event);
  if (transition.outcome === 'needs_review') {
    await ctx.enter(transition);
    return;
  }
  await customer.findings(ctx);
  const amount = view.totalDelta ? toMoneyDto(abs(fromMoneyDto(view.totalDelta))) : null;
  switch (transition.outcome) {
    case 'no_discrepancy':
      await explainAndClose(ctx, transition, SYSTEM_ACTOR, null);
      return;
    case 'auto_credit':
      setOffer(
        ctx,
        { kind: 'credit_note', amount, installments: null, explanation: null },
        SYSTEM_ACTOR,
      );
      await ctx.record('auto_resolved', SYSTEM_ACTOR, { remedy: 'credit_note', amount });
      await sendOffer(ctx, transition);
      return;
    case 'auto_write_off':
      setOffer(
        ctx,
        { kind: 'write_off', amount, installments: null, explanation: null },
        SYSTEM_ACTOR,
      );
      await ctx.record('auto_resolved', SYSTEM_ACTOR, { remedy: 'write_off', amount });
      await ctx.enter(transition);
      return;
    default:
      await ctx.enter(transition);
  }
}

/** No error to correct: explain the billing policy (and any discount clause), then close. */
export async function explainAndClose(
  ctx: DisputeContext,
  transition: Transition,
  actor: Actor,
  explanation: string | null,
): Promise<void> {
  await customer.noErrorExplanation(ctx, explanation);
  await ctx.enter(transition, actor);
}

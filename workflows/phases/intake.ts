// acknowledging and investigating: the automatic start of every dispute.
import { SYSTEM_ACTOR } from '../../domain/dispute';
import { REVIEW_REASONS } from '../../domain/investigation/verdict';
import { fromMoneyDto } from '../../domain/money';
import * as activities from '../activities';
import type { DisputeContext } from '../context';
import { businessFailure } from '../failures';
import * as customer from '../notify/customer';
import { afterFindings } from './resolution';

export async function acknowledge(ctx: DisputeContext): Promise<void> {
  await ctx.exclusive(async () => {
    await ctx.project();
    await customer.acknowledgement(ctx);
    await ctx.record('acknowledged');
  });
}

/**
 * Runs the rules and moves on from their findings. The investigation itself holds no lock, so
 * the dispute can be withdrawn meanwhile; its findings then change nothing.
 */
export async function investigate(ctx: DisputeContext): Promise<void> {
  const started = await ctx.exclusive(async () => {
    if (ctx.view.phase !== 'acknowledging') return false;
    await ctx.enter(ctx.plan({ type: 'acknowledged' }));
    return true;
  });
  if (!started) return;
  let result;
  try {
    result = await activities.investigation.investigate({
      disputeId: ctx.id,
      invoiceId: ctx.input.invoiceId,
      reason: ctx.input.reason,
    });
  } catch (error) {
    const failure = businessFailure(error);
    if (!failure) throw error;
    // The rules cannot run on these records: a person reviews the dispute instead.
    await ctx.exclusive(async () => {
      if (ctx.view.phase !== 'investigating') return;
      await ctx.record('investigation_failed', SYSTEM_ACTOR, { ...failure });
      await ctx.enter(ctx.plan({ type: 'investigation_failed' }));
    });
    return;
  }
  await ctx.exclusive(async () => {
    if (ctx.view.phase !== 'investigating') return;
    const { view, runtime, input } = ctx;
    view.findings = result.findings;
    view.totalDelta = result.totalDelta;
    view.verdict = result.verdict;
    runtime.discountClauses = result.discountClauses;
    await ctx.record('investigated', SYSTEM_ACTOR, {
      verdict: result.verdict,
      totalDelta: result.totalDelta,
      findings: result.findings.length,
    });
    // Internal review cases and reasons the rules cannot judge get a person's review first.
    await afterFindings(ctx, {
      type: 'investigated',
      verdict: view.verdict,
      totalDelta: view.totalDelta ? fromMoneyDto(view.totalDelta) : null,
      reviewFirst: input.internal || REVIEW_REASONS.includes(input.reason),
    });
  });
}

// acknowledging and investigating: the automatic start of every dispute.
import { SYSTEM_ACTOR } from '../../domain/dispute';
import { REVIEW_REASONS } from '../../domain/investigation/verdict';
import { fromMoneyDto } from '../../domain/money';
import * as activities from '../activities';
import type { DisputeContext } from '../context';
import * as customer from '../notify/customer';
import { afterFindings } from './resolution';

export async function acknowledge(ctx: DisputeContext): Promise<void> {
  await ctx.project();
  await customer.acknowledgement(ctx);
  await ctx.record('acknowledged');
}

export async function investigate(ctx: DisputeContext): Promise<void> {
  await ctx.enter(ctx.plan({ type: 'acknowledged' }));
  const result = await activities.investigation.investigate({
    disputeId: ctx.id,
    invoiceId: ctx.input.invoiceId,
    reason: ctx.input.reason,
  });
  ctx.view.findings = result.findings;
  ctx.view.totalDelta = result.totalDelta;
  ctx.view.verdict = result.verdict;
  ctx.runtime.discountClauses = result.discountClauses;
  await ctx.record('investigated', SYSTEM_ACTOR, {
    verdict: result.verdict,
    totalDelta: result.totalDelta,
    findings: result.findings.length,
  });
}

/** Internal review cases and reasons the rules cannot judge always get a person's review first. */
export async function afterInvestigation(ctx: DisputeContext): Promise<void> {
  const { view, input } = ctx;
  await afterFindings(ctx, {
    type: 'investigated',
    verdict: view.verdict,
    totalDelta: view.totalDelta ? fromMoneyDto(view.totalDelta) : null,
    reviewFirst: input.internal || REVIEW_REASONS.includes(input.reason),
  });
}

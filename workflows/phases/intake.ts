// acknowledging and investigating: the automatic start of every dispute.
import { SYSTEM_ACTOR } from '../../domain/dispute';
import * as activities from '../activities';
import type { DisputeContext } from '../context';

export async function acknowledge(ctx: DisputeContext): Promise<void> {
  const { input } = ctx;
  await ctx.project();
  const { review, decision } = input.policy.deadlines;
  await ctx.emailCustomer('acknowledgement', {
    kind: 'acknowledgement',
    data: {
      ...ctx.customerRef(),
      reason: input.reason,
      openedAt: input.openedAt,
      findingsDueBy: ctx.businessDaysFromNow(review + decision),
      claimedAmount: input.claimedAmount,
      description: input.description,
    },
  });
  await ctx.record('acknowledged');
}

export async function investigate(ctx: DisputeContext): Promise<void> {
  await ctx.enter('investigating');
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

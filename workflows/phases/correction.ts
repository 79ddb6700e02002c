// correcting: the agreed remedy is posted to the ledger exactly once, the customer gets the
// documents, and the account is monitored (write-offs close at once: nothing to watch for). A
// posting the ledger refuses (the records changed since the decision) sends the dispute back to a
// decision; it never fails the workflow.
import type { CorrectionRequest } from '../../domain/ledger/correction';
import { SYSTEM_ACTOR } from '../../domain/dispute';
import { ledger } from '../activities';
import type { DisputeContext } from '../context';
import { businessFailure } from '../failures';
import * as customer from '../notify/customer';
import * as staff from '../notify/staff';
import type { Offer } from '../state';
import { startMonitoring } from './monitoring';

/** The ledger request that posts `offer` as the dispute's next correction step. */
export function correctionRequest(
  ctx: DisputeContext,
  offer: Pick<Offer, 'kind' | 'amount' | 'installments' | 'approvedBy'>,
): CorrectionRequest {
  const { runtime } = ctx;
  if (!offer.amount || offer.kind === 'reject') throw new Error('a correction needs an amount');
  return {
    disputeId: ctx.id,
    customerId: ctx.input.customerId,
    invoiceId: ctx.input.invoiceId,
    kind: offer.kind,
    amount: offer.amount,
    installments: offer.installments,
    step: `correction.${runtime.corrections + 1}`,
    approvedBy: offer.approvedBy,
    basis: runtime.reviewed ? 'review' : 'rules',
    // Installments fall due as the offer the customer accepted said.
    installmentsFrom: runtime.offerSentAt,
  };
}

export async function correct(ctx: DisputeContext): Promise<void> {
  const { view, runtime } = ctx;
  const offer = view.offer;
  if (!offer?.amount || offer.kind === 'reject')
    throw new Error('correcting without an agreed remedy');
  const request = correctionRequest(ctx, offer);
  runtime.corrections += 1;
  let adjustments;
  try {
    adjustments = await ledger.applyCorrection(request);
  } catch (error) {
    const failure = businessFailure(error);
    if (!failure) throw error;
    await ctx.exclusive(async () => {
      await ctx.record('correction_failed', SYSTEM_ACTOR, { step: request.step, ...failure });
      view.offer = null;
      await ctx.enter(ctx.plan({ type: 'correction_failed' }));
      await staff.correctionFailed(ctx, offer, failure.message);
    });
    return;
  }
  (runtime.posted ??= []).push(
    ...adjustments.map(({ kind, documentNumber, amount, createdAt }) => ({
      kind,
      documentNumber,
      amount,
      createdAt,
    })),
  );
  await ctx.record('corrected', undefined, {
    adjustments: adjustments.map((a) => ({
      kind: a.kind,
      documentNumber: a.documentNumber,
      amount: a.amount,
    })),
  });
  await customer.correctionDocuments(ctx, adjustments);

  await ctx.exclusive(async () => {
    const transition = ctx.plan({ type: 'corrected', kind: offer.kind });
    if (transition.to === 'monitoring') await startMonitoring(ctx, transition);
    else await ctx.enter(transition);
  });
}

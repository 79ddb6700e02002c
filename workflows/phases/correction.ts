// correcting: the agreed remedy is posted to the ledger exactly once, the customer gets the
// documents, and the account is monitored (write-offs close at once: nothing to watch for).
import { ledger } from '../activities';
import type { DisputeContext } from '../context';
import * as customer from '../notify/customer';
import { startMonitoring } from './monitoring';

export async function correct(ctx: DisputeContext): Promise<void> {
  const { view, runtime } = ctx;
  const offer = view.offer;
  if (!offer?.amount || offer.kind === 'reject')
    throw new Error('correcting without an agreed remedy');
  runtime.corrections += 1;
  const adjustments = await ledger.applyCorrection({
    disputeId: ctx.id,
    customerId: ctx.input.customerId,
    invoiceId: ctx.input.invoiceId,
    kind: offer.kind,
    amount: offer.amount,
    installments: offer.installments,
    step: `correction.${runtime.corrections}`,
    approvedBy: offer.approvedBy,
    basis: runtime.reviewed ? 'review' : 'rules',
    // Installments fall due as the offer the customer accepted said.
    installmentsFrom: runtime.offerSentAt,
  });
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

// correcting: the agreed remedy is posted to the ledger exactly once, the customer gets the
// documents, and the account is monitored (write-offs close at once: nothing to watch for).
import type { createActivities } from '../../activities';
import type { CorrectionDocument } from '../../domain/notifications';
import { DAY_MS } from '../../domain/calendar';
import { abs, fromMoneyDto, toMoneyDto } from '../../domain/money';
import { ledger } from '../activities';
import type { DisputeContext } from '../context';
import { startMonitoring } from './monitoring';
import { closeDispute } from './resolution';

type Adjustment = Awaited<
  ReturnType<ReturnType<typeof createActivities>['applyCorrection']>
>[number];

function documentOf(ctx: DisputeContext, a: Adjustment): CorrectionDocument | null {
  const issuedOn = a.createdAt.slice(0, 10);
  const dueOn = new Date(Date.parse(a.createdAt) + 30 * DAY_MS).toISOString().slice(0, 10);
  switch (a.kind) {
    case 'credit_note':
      return {
        type: 'credit_note',
        number: a.documentNumber,
        issuedOn,
        amount: a.amount,
        appliesTo: ctx.input.invoiceId,
      };
    case 'refund':
      return { type: 'refund', number: a.documentNumber, issuedOn, amount: a.amount };
    case 'debit_note':
      return { type: 'debit_note', number: a.documentNumber, issuedOn, amount: a.amount, dueOn };
    case 'corrected_invoice':
      return {
        type: 'corrected_invoice',
        number: a.documentNumber,
        issuedOn,
        amount: a.amount,
        replaces: ctx.input.invoiceId,
        dueOn,
      };
    default:
      return null;
  }
}

export async function correct(ctx: DisputeContext): Promise<void> {
  const { view, runtime } = ctx;
  const offer = view.offer;
  if (!offer?.amount || offer.kind === 'reject')
    throw new Error('correcting without an agreed remedy');
  runtime.corrections += 1;
  const delta = view.totalDelta ? fromMoneyDto(view.totalDelta) : null;
  const adjustments = await ledger.applyCorrection({
    disputeId: ctx.id,
    customerId: ctx.input.customerId,
    invoiceId: ctx.input.invoiceId,
    kind: offer.kind,
    amount: offer.amount,
    installments: offer.installments,
    step: `correction.${runtime.corrections}`,
    approvedBy: offer.approvedBy,
    justified: delta ? toMoneyDto(abs(delta)) : null,
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

  const documents = adjustments
    .map((a) => documentOf(ctx, a))
    .filter((d): d is CorrectionDocument => d !== null);
  if (documents.length > 0) {
    await ctx.emailCustomer('correction', {
      kind: 'correction_confirmation',
      data: {
        ...ctx.customerRef(),
        documents,
        monitoringUntil: new Date(ctx.now().getTime() + ctx.policy.monitoringDays * DAY_MS)
          .toISOString()
          .slice(0, 10),
      },
    });
  }
  const plan = adjustments.find((a) => a.kind === 'payment_plan');
  if (plan?.installments?.length) {
    await ctx.emailCustomer('payment_plan', {
      kind: 'payment_plan_schedule',
      data: {
        ...ctx.customerRef(),
        total: plan.amount,
        installments: plan.installments.map((i) => ({
          dueOn: i.dueAt.slice(0, 10),
          amount: i.amount,
        })),
      },
    });
  }

  if (offer.kind === 'write_off') await closeDispute(ctx, 'written_off');
  else await startMonitoring(ctx);
}

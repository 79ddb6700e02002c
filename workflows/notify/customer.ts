// Every email to the customer, in one place. Internal review cases have no customer contact, so
// DisputeContext.emailCustomer sends them nothing.
import { DAY_MS } from '../../domain/calendar';
import type { AdjustmentDto } from '../../domain/ledger/correction';
import type { CorrectionDocument } from '../../domain/notifications';
import type { DisputeContext } from '../context';
import { proposalOf } from '../proposal';
import type { MonitoringState, PostedDocument } from '../state';
import type { InstallmentStatus } from '../../domain/ledger/correction';

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export async function acknowledgement(ctx: DisputeContext): Promise<void> {
  const { input } = ctx;
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
}

/** What the investigation (or a person's review) found, when it found something to say. */
export async function findings(ctx: DisputeContext): Promise<void> {
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

export async function offer(ctx: DisputeContext, offeredAtMs: number): Promise<void> {
  const { view } = ctx;
  const current = view.offer;
  if (!current) throw new Error('no offer to send');
  await ctx.emailCustomer('offer', {
    kind: 'offer',
    data: {
      ...ctx.customerRef(),
      proposal: proposalOf(current, offeredAtMs),
      respondBy: view.deadline ?? ctx.businessDaysFromNow(ctx.policy.deadlines.customer),
      round: current.round,
      explanation: current.explanation,
    },
  });
}

export async function reminder(ctx: DisputeContext): Promise<void> {
  const current = ctx.view.offer;
  if (!current) return;
  const offeredAt = ctx.runtime.offerSentAt ?? ctx.now().toISOString();
  await ctx.emailCustomer('reminder', {
    kind: 'reminder',
    data: {
      ...ctx.customerRef(),
      proposal: proposalOf(current, Date.parse(offeredAt)),
      offeredAt,
      respondBy: ctx.view.deadline ?? ctx.now().toISOString(),
    },
  });
}

/** No error to correct: the billing policy (in the email's own words) and any discount clause. */
export async function noErrorExplanation(
  ctx: DisputeContext,
  explanation: string | null,
): Promise<void> {
  await ctx.emailCustomer('no_error', {
    kind: 'no_error_explanation',
    data: {
      ...ctx.customerRef(),
      reason: ctx.input.reason,
      explanation,
      discountClauses: ctx.runtime.discountClauses,
    },
  });
}

type DocumentFacts = Pick<AdjustmentDto, 'kind' | 'documentNumber' | 'amount' | 'createdAt'>;

function documentOf(ctx: DisputeContext, a: DocumentFacts): CorrectionDocument | null {
  const issuedOn = a.createdAt.slice(0, 10);
  const dueOn = isoDay(Date.parse(a.createdAt) + 30 * DAY_MS);
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

/** The documents a correction issued, and a payment plan's schedule. */
export async function correctionDocuments(
  ctx: DisputeContext,
  adjustments: readonly AdjustmentDto[],
): Promise<void> {
  const documents = adjustments
    .map((a) => documentOf(ctx, a))
    .filter((d): d is CorrectionDocument => d !== null);
  if (documents.length > 0) {
    await ctx.emailCustomer('correction', {
      kind: 'correction_confirmation',
      data: {
        ...ctx.customerRef(),
        documents,
        monitoringUntil: isoDay(ctx.now().getTime() + ctx.policy.monitoringDays * DAY_MS),
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
}

export async function monitoringClosed(ctx: DisputeContext, m: MonitoringState): Promise<void> {
  await ctx.emailCustomer('monitoring_closed', {
    kind: 'monitoring_closed',
    data: {
      ...ctx.customerRef(),
      monitoredFrom: m.startedAt.slice(0, 10),
      monitoredUntil: m.until.slice(0, 10),
      invoicesChecked: m.checked,
      recurrencesFound: m.recurrences,
    },
  });
}

/**
 * A posted correction was reversed: the documents as the confirmation named them (`posted`), each
 * with its reversing document. Write-offs issue no customer document, so they tell no one.
 */
export async function correctionReversed(
  ctx: DisputeContext,
  reversals: readonly AdjustmentDto[],
  posted: readonly PostedDocument[],
  reason: string,
): Promise<void> {
  const pairs = reversals.flatMap((r) => {
    const detail = (key: string): string => {
      const value = r.details[key];
      return typeof value === 'string' ? value : '';
    };
    const number = detail('reverses');
    const original = posted.find((p) => p.documentNumber === number) ?? {
      // Corrections posted before the workflow remembered its documents: the reversal's facts.
      kind: detail('reversedKind'),
      documentNumber: number,
      amount: r.amount,
      createdAt: r.createdAt,
    };
    const document = documentOf(ctx, original);
    return document ? [{ document, reversal: r.documentNumber }] : [];
  });
  if (pairs.length === 0) return;
  await ctx.emailCustomer('correction_reversed', {
    kind: 'correction_reversed',
    data: {
      ...ctx.customerRef(),
      reversed: pairs.map((p) => p.document),
      reversals: pairs.map((p) => p.reversal),
      reason,
    },
  });
}

/** An installment of the payment plan is overdue: what is due, since when, and what is paid. */
export async function installmentOverdue(
  ctx: DisputeContext,
  installment: InstallmentStatus,
  installments: number,
): Promise<void> {
  await ctx.emailCustomer(`installment_overdue.${installment.number}`, {
    kind: 'installment_overdue',
    data: {
      ...ctx.customerRef(),
      installment: installment.number,
      installments,
      dueOn: installment.dueAt.slice(0, 10),
      amount: installment.amount,
      paid: installment.paid,
    },
  });
}

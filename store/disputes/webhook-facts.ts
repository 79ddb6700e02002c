// What a change to a dispute's read model tells billing systems: phase changes, closing, and the
// collection hold on its invoice. Called inside the transaction that writes the change, so each
// event exists exactly when the change was committed.
import { holdAmount } from '../../domain/hold';
import type { Phase, Resolution, Verdict } from '../../domain/dispute';
import { money, toMoneyDto } from '../../domain/money';
import type { HoldCause } from '../../domain/webhooks';
import type { Tx } from '../db';
import { recordWebhookEvent } from '../webhooks/events';

/** The dispute's columns these events read, before and after the change. */
export interface DisputeState {
  id: string;
  customerId: string;
  invoiceId: string;
  currency: string;
  internal: boolean;
  phase: string;
  verdict: string | null;
  resolution: string | null;
  rootCause: string | null;
  totalDelta: bigint | null;
  escalationLevel: number;
  deadline: Date | null;
  closedAt: Date | null;
  disputedAmount: bigint | null;
  holdAmount: bigint | null;
  holdSince: Date | null;
}

export const DISPUTE_STATE_SELECT = {
  id: true,
  customerId: true,
  invoiceId: true,
  currency: true,
  internal: true,
  phase: true,
  verdict: true,
  resolution: true,
  rootCause: true,
  totalDelta: true,
  escalationLevel: true,
  deadline: true,
  closedAt: true,
  disputedAmount: true,
  holdAmount: true,
  holdSince: true,
} as const;

/** The hold the dispute's state calls for, in minor units (null: none). */
export async function holdFor(
  tx: Tx,
  state: Pick<
    DisputeState,
    'phase' | 'verdict' | 'totalDelta' | 'disputedAmount' | 'internal' | 'invoiceId'
  >,
): Promise<bigint | null> {
  const invoice = await tx.invoice.findUnique({
    where: { id: state.invoiceId },
    select: { total: true },
  });
  return holdAmount({
    phase: state.phase as Phase,
    verdict: state.verdict as Verdict | null,
    totalDeltaMinor: state.totalDelta,
    disputedMinor: state.disputedAmount ?? invoice?.total ?? 0n,
    invoiceTotalMinor: invoice?.total ?? 0n,
    internal: state.internal,
  });
}

const ref = (s: DisputeState): { disputeId: string; customerId: string; invoiceId: string } => ({
  disputeId: s.id,
  customerId: s.customerId,
  invoiceId: s.invoiceId,
});

export async function reportHold(
  tx: Tx,
  state: DisputeState,
  previous: bigint | null,
  hold: { amount: bigint; since: Date } | null,
  cause: HoldCause,
  at: Date,
): Promise<void> {
  await recordWebhookEvent(
    tx,
    {
      type: 'invoice.hold_changed',
      data: {
        ...ref(state),
        hold: hold
          ? {
              amount: toMoneyDto(money(hold.amount, state.currency)),
              since: hold.since.toISOString(),
            }
          : null,
        previous: previous === null ? null : toMoneyDto(money(previous, state.currency)),
        cause,
      },
    },
    at,
  );
}

function holdCause(before: DisputeState, after: DisputeState): HoldCause {
  if (after.phase === 'closed') return 'closed';
  if (after.phase === 'monitoring') return 'corrected';
  if (before.phase === 'closed') return 'reopened';
  return 'investigated';
}

/**
 * After the read model moved from `before` to `after` (already written, hold columns included):
 * phase_changed, closed and hold_changed events, as they apply.
 */
export async function reportProjection(
  tx: Tx,
  before: DisputeState,
  after: DisputeState,
  at: Date,
): Promise<void> {
  if (before.phase !== after.phase) {
    await recordWebhookEvent(
      tx,
      {
        type: 'dispute.phase_changed',
        data: {
          ...ref(after),
          from: before.phase as Phase,
          to: after.phase as Phase,
          deadline: after.deadline?.toISOString() ?? null,
          escalationLevel: after.escalationLevel,
        },
      },
      at,
    );
    if (after.phase === 'closed') {
      await recordWebhookEvent(
        tx,
        {
          type: 'dispute.closed',
          data: {
            ...ref(after),
            resolution: after.resolution as Resolution | null,
            rootCause: after.rootCause,
            closedAt: (after.closedAt ?? at).toISOString(),
          },
        },
        at,
      );
    }
  }
  if (before.holdAmount !== after.holdAmount) {
    await reportHold(
      tx,
      after,
      before.holdAmount,
      after.holdAmount === null || after.holdSince === null
        ? null
        : { amount: after.holdAmount, since: after.holdSince },
      holdCause(before, after),
      at,
    );
  }
}

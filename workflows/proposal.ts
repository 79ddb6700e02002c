// An offer as the emails put it: the remedy, its amount and, for a payment plan, the installments.
import type { DecisionKind } from '../domain/dispute';
import { planInstallments } from '../domain/ledger/payment-plan';
import { fromMoneyDto, toMoneyDto } from '../domain/money';
import type { Proposal } from '../domain/notifications';
import type { Offer } from './state';

export function proposalOf(offer: Offer, startMs: number): Proposal {
  const amount = offer.amount;
  // Only `reject` carries no amount, and a rejection is never proposed to anyone.
  if (!amount) throw new Error(`offer ${offer.kind} has no amount`);
  if (offer.kind === 'payment_plan') {
    const installments = planInstallments(
      fromMoneyDto(amount),
      offer.installments ?? 1,
      startMs,
    ).map((i) => ({
      dueOn: i.dueOn,
      amount: toMoneyDto(i.amount),
    }));
    return { remedy: 'payment_plan', amount, installments };
  }
  return { remedy: offer.kind as Exclude<DecisionKind, 'reject' | 'payment_plan'>, amount };
}

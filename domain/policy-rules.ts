// What the dispute policy decides, as pure functions: deadlines, limits, what policy resolves on its
// own, whether a decision fits the findings or needs a manager, when rounds end in mediation.
import { pow10, parseDecimal } from './decimal';
import { ESCALATION_LEVELS, type DecisionKind, type Verdict, type WaitingPhase } from './dispute';
import type { Policy } from './policy';
import { OVERCHARGE_REMEDIES, UNDERCHARGE_REMEDIES } from './ledger/correction-effect';
import {
  abs,
  absMinor,
  compare,
  fromMoneyDto,
  minorUnitExponent,
  money,
  type Money,
  type MoneyDto,
} from './money';

/** Business days a waiting phase may take before it escalates. */
export function deadlineDays(phase: WaitingPhase, policy: Policy): number {
  const d = policy.deadlines;
  switch (phase) {
    case 'awaiting_review':
      return d.review;
    case 'awaiting_decision':
      return d.decision;
    case 'awaiting_approval':
      return d.approval;
    case 'awaiting_customer':
      return d.customer;
    case 'mediation':
      return d.mediation;
  }
}

export const MAX_ESCALATION_LEVEL = ESCALATION_LEVELS.length - 1;

export function nextEscalationLevel(level: number): number {
  return Math.min(level + 1, MAX_ESCALATION_LEVEL);
}

/** A policy limit ("100.00") in a currency's minor units; digits finer than the currency are dropped. */
export function policyLimit(limit: string, currency: string): Money {
  const { coefficient, scale } = parseDecimal(limit);
  const exponent = minorUnitExponent(currency);
  const minor =
    scale <= exponent
      ? coefficient * pow10(exponent - scale)
      : coefficient / pow10(scale - exponent);
  return money(minor, currency);
}

export type AutoResolution =
  | { kind: 'offer_credit'; amount: Money }
  | { kind: 'write_off'; amount: Money }
  | { kind: 'explain_no_error' }
  | { kind: 'manual' };

/** What policy settles without a person once the investigation is done. */
export function autoResolution(
  verdict: Verdict,
  totalDelta: Money,
  policy: Policy,
): AutoResolution {
  if (verdict === 'no_discrepancy') return { kind: 'explain_no_error' };
  if (
    verdict === 'overcharged' &&
    compare(totalDelta, policyLimit(policy.autoApproveLimit, totalDelta.currency)) <= 0
  ) {
    return { kind: 'offer_credit', amount: totalDelta };
  }
  if (
    verdict === 'undercharged' &&
    compare(abs(totalDelta), policyLimit(policy.writeOffLimit, totalDelta.currency)) <= 0
  ) {
    return { kind: 'write_off', amount: abs(totalDelta) };
  }
  return { kind: 'manual' };
}

export interface DecisionFacts {
  kind: DecisionKind;
  amount: Money | null;
  installments: number | null;
  verdict: Verdict | null;
  currency: string;
}

/** Why a decision does not fit the dispute (API: 422), or null when it does. */
export function decisionProblem(d: DecisionFacts): string | null {
  if (d.kind === 'reject')
    return d.amount && d.amount.minor !== 0n ? 'a rejection carries no amount' : null;
  if (!d.amount) return `${d.kind} needs an amount`;
  if (d.amount.currency !== d.currency)
    return `the amount must be in ${d.currency}, the invoice currency`;
  if (d.amount.minor <= 0n) return 'the amount must be greater than zero';
  if (
    d.kind === 'payment_plan' &&
    (d.installments === null || d.installments < 2 || d.installments > 24)
  ) {
    return 'a payment plan needs 2 to 24 installments';
  }
  if (d.kind !== 'payment_plan' && d.installments !== null)
    return 'installments apply to payment plans only';
  // The ledger's own direction rule: a payment plan bills, so it never settles an overcharge.
  if (d.verdict === 'overcharged' && !OVERCHARGE_REMEDIES.includes(d.kind)) {
    return `${d.kind} does not correct an overcharge`;
  }
  if (d.verdict === 'undercharged' && !UNDERCHARGE_REMEDIES.includes(d.kind)) {
    return `${d.kind} does not correct an undercharge`;
  }
  return null;
}

/** Decisions above the agent limit need a manager; managers' own decisions do not. */
export function needsApproval(amount: Money | null, byManager: boolean, policy: Policy): boolean {
  if (byManager || !amount) return false;
  return compare(amount, policyLimit(policy.agentLimit, amount.currency)) > 0;
}

/** After the customer rejects round `round`: another round, or mediation after the last one. */
export function afterRejection(round: number, policy: Policy): 'next_round' | 'mediation' {
  return round >= policy.maxRounds ? 'mediation' : 'next_round';
}

/** The root cause recorded on a closed case: the rule behind the largest discrepancy. */
export function rootCause(
  findings: readonly { rule: string; delta: MoneyDto }[],
  fallback: 'no_error' | 'withdrawn',
): string {
  let best: { rule: string; size: bigint } | null = null;
  for (const f of findings) {
    const { minor } = fromMoneyDto(f.delta);
    const size = absMinor(minor);
    if (!best || size > best.size) best = { rule: f.rule, size };
  }
  return best?.rule ?? fallback;
}

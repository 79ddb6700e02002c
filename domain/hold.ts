// Collection hold: while a dispute is open, the disputed amount of its invoice is not dunned.
// It starts at opening (what the customer contests), narrows to the overcharge the investigation
// confirms, and ends once the correction is booked (monitoring) or the dispute closes.
import { parseDecimal } from './decimal';
import type { Phase, Verdict } from './dispute';
import { taxOn } from './investigation/amounts';

export interface OpeningFacts {
  claimedMinor: bigint | null;
  /** Net totals of the disputed lines; empty when the whole invoice is disputed. */
  disputedLineTotals: readonly bigint[];
  invoiceTaxRate: string;
  invoiceTotalMinor: bigint;
}

const atMost = (value: bigint, cap: bigint): bigint => (value > cap ? cap : value);

/** What the customer contests when the dispute opens: the claim, else the lines with tax, else the invoice. */
export function disputedAmountAtOpening(facts: OpeningFacts): bigint {
  const { claimedMinor, disputedLineTotals, invoiceTotalMinor } = facts;
  if (claimedMinor !== null) return atMost(claimedMinor, invoiceTotalMinor);
  if (disputedLineTotals.length === 0) return invoiceTotalMinor;
  const net = disputedLineTotals.reduce((sum, total) => sum + total, 0n);
  return atMost(net + taxOn(net, parseDecimal(facts.invoiceTaxRate)), invoiceTotalMinor);
}

export interface HoldFacts {
  phase: Phase;
  verdict: Verdict | null;
  totalDeltaMinor: bigint | null;
  disputedMinor: bigint;
  invoiceTotalMinor: bigint;
  /** Internal review cases: the customer disputes nothing, so nothing is held. */
  internal: boolean;
}

/** The amount on hold (minor units), or null when nothing is. */
export function holdAmount(facts: HoldFacts): bigint | null {
  if (facts.internal || facts.phase === 'monitoring' || facts.phase === 'closed') return null;
  const { totalDeltaMinor } = facts;
  const amount =
    facts.verdict === 'overcharged' && totalDeltaMinor !== null && totalDeltaMinor > 0n
      ? totalDeltaMinor
      : facts.disputedMinor;
  const capped = atMost(amount, facts.invoiceTotalMinor);
  return capped > 0n ? capped : null;
}

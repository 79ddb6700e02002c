import type { Money } from '../money';
import type { Verdict } from './finding';

/** Dispute reasons the rules cannot confirm from billing records alone. */
export const REVIEW_REASONS: readonly string[] = ['service_not_rendered', 'other'];

/**
 * Sign of the total first; a zero total with findings, or an unverifiable reason, needs a person,
 * unless corrections already posted account for it all (nothing is left to correct).
 */
export function decideVerdict(
  totalDelta: Money,
  findingCount: number,
  reason?: string | null,
  alreadyCorrected = false,
): Verdict {
  if (totalDelta.minor > 0n) return 'overcharged';
  if (totalDelta.minor < 0n) return 'undercharged';
  if (alreadyCorrected) return 'no_discrepancy';
  if (findingCount > 0 || (reason != null && REVIEW_REASONS.includes(reason))) {
    return 'needs_review';
  }
  return 'no_discrepancy';
}

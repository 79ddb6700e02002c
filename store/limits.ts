// What Settle's database columns can hold: amounts are 64-bit integers of minor units, counts
// 32-bit integers. Checked before anything is written, so an import fails whole and says where.
import { absMinor, amountProblem, parseAmount } from '../domain/money';

/** Amounts are stored as 64-bit integers of minor units; this bound leaves room for any sum of them. */
export const MAX_MINOR_UNITS = 10n ** 15n;
/** Counts are stored as 32-bit integers. */
export const MAX_STORED_INT = 2_147_483_647;

/** Why a well-formed amount cannot be stored, or null. */
export function storageProblem(amount: string, currency: string): string | null {
  if (amountProblem(amount, currency) !== null) return null;
  const { minor } = parseAmount(amount, currency);
  return absMinor(minor) >= MAX_MINOR_UNITS ? 'is too large' : null;
}

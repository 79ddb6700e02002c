import { pow10, roundQuotient, type Decimal } from '../decimal';

// The README's `round(…)` terms, in minor units; hot paths, so no intermediate Ratio objects.

/** round(quantity × unitPrice × (1 − percent/100)). */
export function discountedAmount(quantity: bigint, unitPrice: bigint, percent: Decimal): bigint {
  const den = 100n * pow10(percent.scale);
  return roundQuotient(quantity * unitPrice * (den - percent.coefficient), den);
}

/** round(amount × rate). */
export function taxOn(amount: bigint, rate: Decimal): bigint {
  return roundQuotient(amount * rate.coefficient, pow10(rate.scale));
}

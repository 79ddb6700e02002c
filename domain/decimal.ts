/** An exact decimal: `coefficient × 10^-scale` (scale ≥ 0). */
export interface Decimal {
  readonly coefficient: bigint;
  readonly scale: number;
}

/** An exact rational number `num / den`, always with `den > 0`. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

export class DecimalError extends Error {
  override readonly name = 'DecimalError';
}

const DECIMAL_PATTERN = /^(-?)(0|[1-9]\d*)(?:\.(\d+))?$/;
const POWERS_OF_TEN: bigint[] = [];

export function pow10(exponent: number): bigint {
  if (!Number.isInteger(exponent) || exponent < 0) {
    throw new DecimalError(`pow10 needs a non-negative integer exponent, got ${exponent}`);
  }
  let cached = POWERS_OF_TEN[exponent];
  if (cached === undefined) {
    cached = 10n ** BigInt(exponent);
    if (exponent < 64) POWERS_OF_TEN[exponent] = cached;
  }
  return cached;
}

/** True for plain decimal strings such as "7.5", "-3.000", "0.0825" (no exponent, no "+", no ".5"). */
export function isDecimalString(text: string): boolean {
  return DECIMAL_PATTERN.test(text);
}

/** Number of digits after the decimal point as written ("1.50" → 2), or -1 if not a decimal string. */
export function fractionDigits(text: string): number {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) return -1;
  return match[3]?.length ?? 0;
}

export function parseDecimal(text: string): Decimal {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) throw new DecimalError(`"${text}" is not a decimal number like 7.5 or 0.0825`);
  const [, sign = '', whole = '0', fraction = ''] = match;
  const magnitude = BigInt(whole + fraction);
  return { coefficient: sign === '-' ? -magnitude : magnitude, scale: fraction.length };
}

/** Shortest exact form: "8", "7.5", "-0.0825". */
export function formatDecimal(value: Decimal): string {
  let { coefficient, scale } = value;
  while (scale > 0 && coefficient % 10n === 0n) {
    coefficient /= 10n;
    scale -= 1;
  }
  return formatScaled(coefficient, scale);
}

/** Formats `coefficient × 10^-scale` with exactly `scale` fraction digits. */
export function formatScaled(coefficient: bigint, scale: number): string {
  const negative = coefficient < 0n;
  const digits = (negative ? -coefficient : coefficient).toString();
  const sign = negative ? '-' : '';
  if (scale === 0) return sign + digits;
  const padded = digits.padStart(scale + 1, '0');
  return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

export function decimalToRatio(value: Decimal): Ratio {
  return { num: value.coefficient, den: pow10(value.scale) };
}

export function ratio(num: bigint, den: bigint = 1n): Ratio {
  if (den === 0n) throw new DecimalError('ratio denominator must not be zero');
  return den < 0n ? { num: -num, den: -den } : { num, den };
}

export function multiply(...factors: readonly Ratio[]): Ratio {
  let num = 1n;
  let den = 1n;
  for (const factor of factors) {
    num *= factor.num;
    den *= factor.den;
  }
  return { num, den };
}

/** `1 − percent/100`, the factor a discount of `percent` leaves. */
export function discountFactor(percent: Decimal): Ratio {
  const den = 100n * pow10(percent.scale);
  return { num: den - percent.coefficient, den };
}

/** `value × 100` as a decimal, e.g. a tax rate 0.0825 → 8.25 (percent). */
export function toPercent(value: Decimal): Decimal {
  return value.scale >= 2
    ? { coefficient: value.coefficient, scale: value.scale - 2 }
    : { coefficient: value.coefficient * pow10(2 - value.scale), scale: 0 };
}

export function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const left = a.coefficient * pow10(scale - a.scale);
  const right = b.coefficient * pow10(scale - b.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Rounds to an integer, half away from zero: 2.5 → 3, -2.5 → -3, 2.4 → 2. */
export function roundHalfAwayFromZero(value: Ratio): bigint {
  return roundQuotient(value.num, value.den);
}

/** `num / den` rounded half away from zero; `den` must be positive. */
export function roundQuotient(num: bigint, den: bigint): bigint {
  const negative = num < 0n;
  const magnitude = negative ? -num : num;
  let quotient = magnitude / den;
  if ((magnitude % den) * 2n >= den) quotient += 1n;
  return negative ? -quotient : quotient;
}

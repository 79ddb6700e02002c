import { formatScaled, fractionDigits, roundHalfAwayFromZero, type Ratio } from './decimal';

/** An amount in integer minor units (cents, yen, fils) of an ISO 4217 currency. */
export type Money = { readonly minor: bigint; readonly currency: string };

/** Money on the wire: a decimal string in the currency's minor unit ("1234.50"). */
export interface MoneyDto {
  amount: string;
  currency: string;
}

export class MoneyError extends Error {
  override readonly name = 'MoneyError';
}

const ZERO_DECIMALS = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE_DECIMALS = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR_DECIMALS = 'CLF UYW';
const TWO_DECIMALS =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP ' +
  'BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD ' +
  'FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD ' +
  'KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD ' +
  'NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP ' +
  'SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED ' +
  'VES WST XCD XCG YER ZAR ZMW ZWG';

// ISO 4217 minor-unit exponents, kept as a table so nothing depends on the runtime's Intl data.
const EXPONENTS: ReadonlyMap<string, number> = new Map(
  (
    [
      [ZERO_DECIMALS, 0],
      [TWO_DECIMALS, 2],
      [THREE_DECIMALS, 3],
      [FOUR_DECIMALS, 4],
    ] as const
  ).flatMap(([codes, exponent]) => codes.split(' ').map((code) => [code, exponent] as const)),
);

/** Every supported ISO 4217 code, sorted. */
export const CURRENCY_CODES = [...EXPONENTS.keys()].sort() as [string, ...string[]];

/** The supported ISO 4217 codes by minor-unit exponent, e.g. 2 → USD, EUR, … (for the API's schema). */
export function currenciesByExponent(): ReadonlyMap<number, readonly string[]> {
  const groups = new Map<number, string[]>();
  for (const [code, exponent] of EXPONENTS)
    (groups.get(exponent) ?? groups.set(exponent, []).get(exponent)!).push(code);
  return groups;
}

export function isKnownCurrency(currency: string): boolean {
  return EXPONENTS.has(currency);
}

/** Digits after the decimal point in the currency's minor unit: JPY 0, USD 2, KWD 3. */
export function minorUnitExponent(currency: string): number {
  const exponent = EXPONENTS.get(currency);
  if (exponent === undefined) throw new MoneyError(`unknown currency "${currency}"`);
  return exponent;
}

export function money(minor: bigint, currency: string): Money {
  minorUnitExponent(currency);
  return { minor, currency };
}

export function zero(currency: string): Money {
  return money(0n, currency);
}

/** Why `amount` is not a valid amount of `currency`, or null when it is. */
export function amountProblem(amount: string, currency: string): string | null {
  if (!isKnownCurrency(currency)) return `unknown currency "${currency}"`;
  const digits = fractionDigits(amount);
  if (digits < 0) return `"${amount}" is not a decimal amount like 1234.50`;
  const exponent = minorUnitExponent(currency);
  if (digits > exponent) {
    return exponent === 0
      ? `${currency} amounts have no decimal places, got "${amount}"`
      : `${currency} amounts have at most ${exponent} decimal places, got "${amount}"`;
  }
  return null;
}

/** Parses "1234.5" in USD to 123450 minor units; rejects more decimals than the currency has. */
export function parseAmount(amount: string, currency: string): Money {
  const problem = amountProblem(amount, currency);
  if (problem !== null) throw new MoneyError(problem);
  const exponent = minorUnitExponent(currency);
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const magnitude = BigInt(whole + fraction.padEnd(exponent, '0'));
  return { minor: negative ? -magnitude : magnitude, currency };
}

/** "1234.50" (USD), "-3.000" (KWD), "15" (JPY): always the currency's full number of decimals. */
export function formatAmount(value: Money): string {
  return formatScaled(value.minor, minorUnitExponent(value.currency));
}

export function toMoneyDto(value: Money): MoneyDto {
  return { amount: formatAmount(value), currency: value.currency };
}

export function fromMoneyDto(dto: MoneyDto): Money {
  return parseAmount(dto.amount, dto.currency);
}

/** Rounds a rational amount of minor units half away from zero to a whole minor unit. */
export function roundMinor(minorUnits: Ratio, currency: string): Money {
  return money(roundHalfAwayFromZero(minorUnits), currency);
}

function sameCurrency(a: Money, b: Money, operation: string): string {
  if (a.currency !== b.currency) {
    throw new MoneyError(`cannot ${operation} ${a.currency} and ${b.currency}`);
  }
  return a.currency;
}

export function add(a: Money, b: Money): Money {
  return { minor: a.minor + b.minor, currency: sameCurrency(a, b, 'add') };
}

export function sub(a: Money, b: Money): Money {
  return { minor: a.minor - b.minor, currency: sameCurrency(a, b, 'subtract') };
}

export function negate(a: Money): Money {
  return { minor: -a.minor, currency: a.currency };
}

/** Sums amounts of `currency`; the currency is needed so an empty list has one. */
export function sum(amounts: Iterable<Money>, currency: string): Money {
  let total = zero(currency);
  for (const amount of amounts) total = add(total, amount);
  return total;
}

/** |n| of a count of minor units. */
export function absMinor(minor: bigint): bigint {
  return minor < 0n ? -minor : minor;
}

export function abs(a: Money): Money {
  return money(absMinor(a.minor), a.currency);
}

/** The sum of the deltas of findings (or anything carrying a `delta`), in `currency`. */
export function totalDelta(items: Iterable<{ delta: MoneyDto }>, currency: string): Money {
  const amounts: Money[] = [];
  for (const item of items) amounts.push(fromMoneyDto(item.delta));
  return sum(amounts, currency);
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b, 'compare');
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

export function isZero(a: Money): boolean {
  return a.minor === 0n;
}

export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.minor === b.minor;
}

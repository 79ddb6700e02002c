// Locale formatting of money, dates and counts. Money is formatted from its decimal string, never a float.
import { isKnownCurrency, minorUnitExponent } from '../domain/money';
import type { IsoDateTime, Locale, Money } from '../domain/notifications';

const INTL_LOCALE: Record<Locale, string> = { en: 'en-US', fr: 'fr-FR' };

const AMOUNT = /^(-?)(\d+)(?:\.(\d+))?$/;
const CURRENCY = /^[A-Z]{3}$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

export function intlLocale(locale: Locale): string {
  return INTL_LOCALE[locale];
}

interface ParsedAmount {
  negative: boolean;
  whole: bigint;
  fraction: string;
}

function parseAmount(money: Money): ParsedAmount {
  const match = AMOUNT.exec(money.amount);
  if (!match || !CURRENCY.test(money.currency)) {
    throw new RangeError(`not a money amount: ${JSON.stringify(money)}`);
  }
  const [, sign = '', whole = '0', fraction = ''] = match;
  return {
    negative: sign === '-' && /[1-9]/.test(whole + fraction),
    whole: BigInt(whole),
    fraction,
  };
}

function currencyDigits(currency: string, tag: string): number {
  if (isKnownCurrency(currency)) return minorUnitExponent(currency);
  const digits = new Intl.NumberFormat(tag, { style: 'currency', currency }).resolvedOptions();
  return digits.maximumFractionDigits ?? 2;
}

/**
 * "-1234.50" USD → "-$1,234.50" (en), "-1 234,50 $US" (fr). The whole part goes through Intl as a
 * bigint and the fraction digits are spliced in from the string, so no digit is ever rounded.
 */
export function formatMoney(money: Money, locale: Locale): string {
  const { negative, whole, fraction } = parseAmount(money);
  const tag = intlLocale(locale);
  const minimum = currencyDigits(money.currency, tag);
  // Never hide a significant digit the amount carries beyond the currency's minor unit.
  const significant = fraction.replace(/0+$/, '');
  const digits =
    significant.length > minimum ? fraction : fraction.slice(0, minimum).padEnd(minimum, '0');
  const format = new Intl.NumberFormat(tag, {
    style: 'currency',
    currency: money.currency,
    minimumFractionDigits: digits.length,
    maximumFractionDigits: digits.length,
  });
  // -0 (a number) keeps the minus sign for amounts such as "-0.50"; bigint has no negative zero.
  const value = negative ? (whole === 0n ? -0 : -whole) : whole;
  return format
    .formatToParts(value)
    .map((part) => (part.type === 'fraction' ? digits : part.value))
    .join('');
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A decimal string in the locale's digits and separators ("12411.5" → "12,411.5" / "12 411,5"),
 * exactly: the whole part goes through Intl as a bigint, the fraction is spliced in as written.
 */
export function formatDecimalText(value: string, locale: Locale): string {
  const match = DECIMAL.exec(value);
  if (!match) throw new RangeError(`not a decimal number: ${JSON.stringify(value)}`);
  const [, sign = '', whole = '0', fraction = ''] = match;
  const negative = sign === '-' && /[1-9]/.test(whole + fraction);
  const format = new Intl.NumberFormat(intlLocale(locale), {
    minimumFractionDigits: fraction.length,
    maximumFractionDigits: fraction.length,
  });
  const number = BigInt(whole);
  return format
    .formatToParts(negative ? (number === 0n ? -0 : -number) : number)
    .map((part) => (part.type === 'fraction' ? fraction : part.value))
    .join('');
}

/** "12.5%" (en), "12,5 %" (fr, with the narrow no-break space French typography uses). */
export function formatPercent(value: string, locale: Locale): string {
  const number = formatDecimalText(value, locale);
  return locale === 'fr' ? `${number}\u202f%` : `${number}%`;
}

/** A count of units, grouped by the locale: "1,200" / "1 200". */
export function formatQuantity(value: string, locale: Locale): string {
  return formatDecimalText(value, locale);
}

/** The sign of a decimal amount: -1, 0 or 1. */
export function signOf(money: Money): -1 | 0 | 1 {
  const { negative, whole, fraction } = parseAmount(money);
  if (negative) return -1;
  return whole === 0n && !/[1-9]/.test(fraction) ? 0 : 1;
}

/** The same amount without its sign. */
export function absolute(money: Money): Money {
  parseAmount(money);
  return { amount: money.amount.replace(/^-/, ''), currency: money.currency };
}

function toDate(value: string): { date: Date; dateOnly: boolean } {
  const day = DATE_ONLY.exec(value);
  const date = day
    ? new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])))
    : INSTANT.test(value)
      ? new Date(value)
      : new Date(Number.NaN);
  const roundTrips = !day || date.toISOString().slice(0, 10) === value;
  if (Number.isNaN(date.getTime()) || !roundTrips) {
    throw new RangeError(`not an ISO date or instant: ${JSON.stringify(value)}`);
  }
  return { date, dateOnly: day !== null };
}

/**
 * "March 5, 2026" / "5 mars 2026" from an IsoDate or an IsoDateTime: a calendar date is shown as
 * written, an instant as its date in `timeZone`.
 */
export function formatDate(value: string, locale: Locale, timeZone = 'UTC'): string {
  const { date, dateOnly } = toDate(value);
  return new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: 'long',
    timeZone: dateOnly ? 'UTC' : timeZone,
  }).format(date);
}

/** "March 5, 2026 at 5:00 PM UTC" / "5 mars 2026 à 17:00 UTC": deadlines name their time zone. */
export function formatDateTime(value: IsoDateTime, locale: Locale, timeZone = 'UTC'): string {
  const { date, dateOnly } = toDate(value);
  if (dateOnly) return formatDate(value, locale);
  return new Intl.DateTimeFormat(intlLocale(locale), {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(date);
}

export function formatCount(value: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(value);
}

export interface PluralForms {
  one: string;
  other: string;
}

/** Picks the form by the locale's plural rules: French treats 0 and 1 as singular, English only 1. */
export function plural(value: number, locale: Locale, forms: PluralForms): string {
  return new Intl.PluralRules(intlLocale(locale)).select(value) === 'one' ? forms.one : forms.other;
}

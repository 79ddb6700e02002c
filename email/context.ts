// Everything a template needs to speak the reader's language, bound to one locale and time zone.
import type { FindingValueKind } from '../domain/investigation';
import {
  absolute,
  formatCount,
  formatDate,
  formatDateTime,
  formatMoney,
  formatPercent,
  formatQuantity,
  plural,
  signOf,
  type PluralForms,
} from './format';
import type { IsoDateTime, Locale, Money } from '../domain/notifications';

export interface RenderOptions {
  /** IANA time zone for deadlines and instants; calendar dates are shown as written. Default UTC. */
  timeZone?: string;
  /** The customer's response page for this email (a signed link), when it asks something. */
  responseUrl?: string;
}

export interface RenderContext {
  readonly locale: Locale;
  /** The customer's response page, when this email carries one. */
  readonly responseUrl: string | null;
  money(value: Money): string;
  /** The amount without its sign, for sentences that already say which way it goes. */
  magnitude(value: Money): string;
  sign(value: Money): -1 | 0 | 1;
  /** A calendar date (IsoDate) or an instant (IsoDateTime), shown as a date. */
  date(value: string): string;
  dateTime(value: IsoDateTime): string;
  count(value: number): string;
  /** A finding's value by its kind: money in `currency`, a percent or a quantity; text as given. */
  value(text: string, kind: FindingValueKind | null, currency: string): string;
  plural(value: number, forms: PluralForms): string;
  /** The copy for this locale out of a per-locale table. */
  pick<T>(copy: Readonly<Record<Locale, T>>): T;
}

export function createContext(locale: Locale, options: RenderOptions = {}): RenderContext {
  if (locale !== 'en' && locale !== 'fr') {
    throw new RangeError(`unsupported locale: ${JSON.stringify(locale)}`);
  }
  const timeZone = options.timeZone ?? 'UTC';
  // Fail on a bad time zone before any template runs.
  new Intl.DateTimeFormat('en-US', { timeZone });
  return {
    locale,
    responseUrl: options.responseUrl ?? null,
    money: (value) => formatMoney(value, locale),
    magnitude: (value) => formatMoney(absolute(value), locale),
    sign: signOf,
    date: (value) => formatDate(value, locale, timeZone),
    dateTime: (value) => formatDateTime(value, locale, timeZone),
    count: (value) => formatCount(value, locale),
    value: (text, kind, currency) => formatValue(text, kind, currency, locale),
    plural: (value, forms) => plural(value, locale, forms),
    pick: (copy) => copy[locale],
  };
}

/** A value a reviewer typed in free form ("about 80") is shown as written, not refused. */
function formatValue(
  text: string,
  kind: FindingValueKind | null,
  currency: string,
  locale: Locale,
): string {
  try {
    return formatKnownValue(text, kind, currency, locale);
  } catch (error) {
    if (error instanceof RangeError) return text;
    throw error;
  }
}

function formatKnownValue(
  text: string,
  kind: FindingValueKind | null,
  currency: string,
  locale: Locale,
): string {
  switch (kind) {
    case 'money':
      return formatMoney({ amount: text, currency }, locale);
    case 'percent':
      return formatPercent(text, locale);
    case 'quantity':
      return formatQuantity(text, locale);
    case null:
      return text;
  }
}

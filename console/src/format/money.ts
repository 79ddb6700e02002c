// Money stays a decimal string from the API to the screen: formatting never goes through a float.
import type { paths } from '../server/client';
export interface Money {
  amount: string;
  currency: string;
}

/**
 * Money in a request body. The document types it per group of currencies with the same decimals;
 * the form has checked the amount against the dispute's currency, and the server checks again.
 */
export type MoneyInput = NonNullable<
  paths['/v1/disputes']['post']['requestBody']['content']['application/json']['claimedAmount']
>;

export function moneyInput(amount: string, currency: string): MoneyInput {
  return { amount, currency } as MoneyInput;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string): Intl.NumberFormat {
  let f = formatters.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      f = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2 });
    }
    formatters.set(currency, f);
  }
  return f;
}

/** "USD 1,234.50" in the reader's locale; the decimal string is formatted exactly (Intl accepts strings). */
export function formatMoney(money: Money | null | undefined): string {
  if (!money) return '—';
  return formatter(money.currency).format(money.amount as `${number}`);
}

/** Digits after the decimal point in a currency (2 for USD, 0 for JPY, 3 for KWD). */
export function fractionDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** A positive amount as the API accepts it for `currency`, e.g. "400" or "400.50" for USD. */
export function amountPattern(currency: string): RegExp {
  const digits = fractionDigits(currency);
  return digits === 0 ? /^\d{1,15}$/ : new RegExp(`^\\d{1,15}(\\.\\d{1,${String(digits)}})?$`);
}

/** The absolute value of a decimal amount string. */
export function absAmount(amount: string): string {
  return amount.startsWith('-') ? amount.slice(1) : amount;
}

export const isNegative = (amount: string): boolean =>
  amount.startsWith('-') && /[1-9]/.test(amount);

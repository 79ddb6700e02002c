// Splits a tax-inclusive amount into net and tax at a rate, exactly (no floating point).
import { parseDecimal, roundQuotient, pow10 } from '../decimal';
import { LedgerError } from './accounts';
import { money, type Money } from '../money';

export interface TaxSplit {
  /** The amount as agreed, tax included. */
  gross: Money;
  net: Money;
  tax: Money;
}

/**
 * tax = round(gross × r / (1 + r)), half away from zero, and net = gross − tax, so net + tax is
 * always exactly the gross. `rate` is a fraction as on invoices: "0.0825" is 8.25 %.
 */
export function splitTax(gross: Money, rate: string): TaxSplit {
  const r = parseDecimal(rate);
  if (r.coefficient < 0n) throw new LedgerError(`tax rate must not be negative, got "${rate}"`);
  const scale = pow10(r.scale);
  // gross × (c / 10^s) / (1 + c / 10^s) = gross × c / (10^s + c)
  const tax = roundQuotient(gross.minor * r.coefficient, scale + r.coefficient);
  return {
    gross,
    net: money(gross.minor - tax, gross.currency),
    tax: money(tax, gross.currency),
  };
}

import { parseDecimal, type Decimal } from '../decimal';

/** Parses each distinct decimal string once; invoices repeat the same few percents. */
export function decimalCache(): (text: string) => Decimal {
  const cache = new Map<string, Decimal>();
  return (text) => {
    let value = cache.get(text);
    if (value === undefined) {
      value = parseDecimal(text);
      cache.set(text, value);
    }
    return value;
  };
}

// The large-account fixture: what it plants is found, and the work grows linearly with the input.
// Timings live in `npm run bench -- investigation`; this counts reads, which no machine load changes.
import { describe, expect, it } from 'vitest';
import { investigateInvoice, type InvestigationInput } from '../../domain/investigation';
import { bigInput, type BigInputSize } from './big-invoice-fixture';

/** Deep copy of `value` whose arrays count every element read into `counter`. */
function countingReads<T>(value: T, counter: { reads: number }): T {
  if (Array.isArray(value)) {
    const items: unknown[] = value.map((item: unknown) => countingReads(item, counter));
    return new Proxy(items, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) counter.reads += 1;
        return Reflect.get(target, key, receiver) as unknown;
      },
    }) as T;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, countingReads(item as unknown, counter)]),
    ) as T;
  }
  return value;
}

function elementReads(input: InvestigationInput): number {
  const counter = { reads: 0 };
  investigateInvoice(countingReads(input, counter));
  return counter.reads;
}

describe('investigateInvoice on a large account', () => {
  it('finds what the large fixture plants', () => {
    const size: BigInputSize = { lines: 10_000, earlierInvoices: 1_000 };
    const { findings } = investigateInvoice(bigInput(100, size));
    const count = (rule: string): number => findings.filter((f) => f.rule === rule).length;
    expect(count('pricing')).toBe(size.lines / 100);
    expect(count('double_billing')).toBe(200);
    expect(count('tax')).toBe(1);
    expect(findings).toHaveLength(size.lines / 100 + 200 + 1);
  });

  it.each([100, 1])(
    'reads each record a bounded number of times (1 line in %i wrong)',
    (errorEvery) => {
      const small = elementReads(bigInput(errorEvery, { lines: 1_000, earlierInvoices: 100 }));
      const large = elementReads(bigInput(errorEvery, { lines: 4_000, earlierInvoices: 400 }));
      // Four times the input: linear work reads about four times as much, quadratic sixteen.
      expect(large / small).toBeGreaterThan(3.5);
      expect(large / small).toBeLessThan(4.5);
    },
  );
});

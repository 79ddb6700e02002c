import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareDecimal,
  DecimalError,
  discountFactor,
  formatDecimal,
  multiply,
  parseDecimal,
  ratio,
  roundHalfAwayFromZero,
  toPercent,
} from '../../domain/decimal';
import { referenceRound } from './investigation-fixture';

describe('decimal strings', () => {
  it.each([
    ['7.5', 75n, 1, '7.5'],
    ['0.0825', 825n, 4, '0.0825'],
    ['8', 8n, 0, '8'],
    ['8.000', 8000n, 3, '8'],
    ['-0.50', -50n, 2, '-0.5'],
    ['0', 0n, 0, '0'],
  ])('%s', (text, coefficient, scale, normalized) => {
    const value = parseDecimal(text);
    expect(value).toEqual({ coefficient, scale });
    expect(formatDecimal(value)).toBe(normalized);
  });

  it.each(['', '.5', '5.', '1e2', '+1', '0x10', ' 1', '1 ', '00.5', 'NaN'])(
    'rejects %j',
    (text) => {
      expect(() => parseDecimal(text)).toThrow(DecimalError);
    },
  );

  it('compares across scales', () => {
    expect(compareDecimal(parseDecimal('8'), parseDecimal('8.00'))).toBe(0);
    expect(compareDecimal(parseDecimal('7.5'), parseDecimal('8'))).toBe(-1);
    expect(compareDecimal(parseDecimal('100.01'), parseDecimal('100'))).toBe(1);
  });

  it('turns rates into percents', () => {
    expect(formatDecimal(toPercent(parseDecimal('0.0825')))).toBe('8.25');
    expect(formatDecimal(toPercent(parseDecimal('0.2')))).toBe('20');
    expect(formatDecimal(toPercent(parseDecimal('1')))).toBe('100');
  });

  it('builds discount factors exactly', () => {
    expect(discountFactor(parseDecimal('7.5'))).toEqual({ num: 925n, den: 1000n });
    expect(discountFactor(parseDecimal('0'))).toEqual({ num: 100n, den: 100n });
  });
});

describe('roundHalfAwayFromZero', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [3n, 2n, 2n],
    [-3n, 2n, -2n],
    [24n, 10n, 2n],
    [-24n, 10n, -2n],
    [26n, 10n, 3n],
    [-26n, 10n, -3n],
    [0n, 7n, 0n],
    [7n, 1n, 7n],
  ])('%i / %i → %i', (num, den, expected) => {
    expect(roundHalfAwayFromZero(ratio(num, den))).toBe(expected);
  });

  it('normalizes a negative denominator', () => {
    expect(roundHalfAwayFromZero(ratio(5n, -2n))).toBe(-3n);
    expect(() => ratio(1n, 0n)).toThrow(DecimalError);
  });

  it('matches a bigint reference', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt({ min: 1n, max: 10n ** 12n }), (num, den) => {
        expect(roundHalfAwayFromZero(ratio(num, den))).toBe(referenceRound(num, den));
      }),
    );
  });

  it('is the nearest integer, with exact halves going away from zero', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt({ min: 1n, max: 10n ** 9n }), (num, den) => {
        const rounded = roundHalfAwayFromZero(ratio(num, den));
        const error = rounded * den - num; // (rounded − x) × den
        const twice = 2n * (error < 0n ? -error : error);
        expect(twice <= den).toBe(true);
        if (twice === den) expect(num > 0n ? error > 0n : error < 0n).toBe(true);
        expect(roundHalfAwayFromZero(ratio(-num, den))).toBe(-rounded);
      }),
    );
  });

  it('rounds every exact half outward', () => {
    fc.assert(
      fc.property(fc.bigInt(), (n) => {
        const half = ratio(2n * n + 1n, 2n);
        expect(roundHalfAwayFromZero(half)).toBe(n >= 0n ? n + 1n : n);
      }),
    );
  });

  it('multiplies exactly before rounding once', () => {
    const product = multiply(ratio(3n), ratio(1255n), discountFactor(parseDecimal('7.5')));
    expect(roundHalfAwayFromZero(product)).toBe(3483n);
  });
});

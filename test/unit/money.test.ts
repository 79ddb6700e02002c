import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  amountProblem,
  compare,
  formatAmount,
  fromMoneyDto,
  isKnownCurrency,
  isZero,
  minorUnitExponent,
  money,
  MoneyError,
  negate,
  parseAmount,
  roundMinor,
  sub,
  sum,
  toMoneyDto,
  zero,
} from '../../domain/money';

const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'KRW', 'KWD', 'BHD', 'OMR', 'JOD', 'TND', 'CLF'];

describe('currencies', () => {
  it.each([
    ['JPY', 0],
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['OMR', 3],
    ['JOD', 3],
    ['TND', 3],
    ['CLF', 4],
  ])('%s has %i decimals', (currency, exponent) => {
    expect(minorUnitExponent(currency)).toBe(exponent);
  });

  it('rejects unknown codes', () => {
    expect(isKnownCurrency('usd')).toBe(false);
    expect(isKnownCurrency('XYZ')).toBe(false);
    expect(() => minorUnitExponent('XYZ')).toThrow(MoneyError);
    expect(() => money(1n, 'XYZ')).toThrow(/unknown currency "XYZ"/);
  });
});

describe('parseAmount and formatAmount', () => {
  it.each([
    ['1234.50', 'USD', 123450n, '1234.50'],
    ['1234.5', 'USD', 123450n, '1234.50'],
    ['15', 'USD', 1500n, '15.00'],
    ['15', 'JPY', 15n, '15'],
    ['-3', 'KWD', -3000n, '-3.000'],
    ['-0.005', 'KWD', -5n, '-0.005'],
    ['0.01', 'USD', 1n, '0.01'],
    ['-0.00', 'USD', 0n, '0.00'],
    ['90071992547409931234.99', 'USD', 9007199254740993123499n, '90071992547409931234.99'],
  ])('%s %s is %i minor units, formatted %s', (text, currency, minor, formatted) => {
    const parsed = parseAmount(text, currency);
    expect(parsed).toEqual({ minor, currency });
    expect(formatAmount(parsed)).toBe(formatted);
  });

  it.each([
    ['1.234', 'USD', 'USD amounts have at most 2 decimal places, got "1.234"'],
    ['15.0', 'JPY', 'JPY amounts have no decimal places, got "15.0"'],
    ['1.0001', 'KWD', 'KWD amounts have at most 3 decimal places, got "1.0001"'],
    ['1e3', 'USD', '"1e3" is not a decimal amount like 1234.50'],
    ['.5', 'USD', '".5" is not a decimal amount like 1234.50'],
    ['5.', 'USD', '"5." is not a decimal amount like 1234.50'],
    ['+5', 'USD', '"+5" is not a decimal amount like 1234.50'],
    ['01', 'USD', '"01" is not a decimal amount like 1234.50'],
    ['1,50', 'EUR', '"1,50" is not a decimal amount like 1234.50'],
    ['', 'USD', '"" is not a decimal amount like 1234.50'],
    ['1', 'ABC', 'unknown currency "ABC"'],
  ])('rejects %j in %s', (text, currency, message) => {
    expect(amountProblem(text, currency)).toBe(message);
    expect(() => parseAmount(text, currency)).toThrow(message);
  });

  it('round-trips any amount through format and parse', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.constantFrom(...CURRENCIES), (minor, currency) => {
        const value = money(minor, currency);
        expect(parseAmount(formatAmount(value), currency)).toEqual(value);
        expect(fromMoneyDto(toMoneyDto(value))).toEqual(value);
      }),
    );
  });

  it('formats a parsed string back to itself when written with the full decimals', () => {
    const canonical = fc
      .tuple(fc.constantFrom(...CURRENCIES), fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }))
      .map(([currency, negative, magnitude]) => {
        const exponent = minorUnitExponent(currency);
        const digits = magnitude.toString().padStart(exponent + 1, '0');
        const text =
          exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
        return { currency, text: negative && magnitude !== 0n ? `-${text}` : text };
      });
    fc.assert(
      fc.property(canonical, ({ currency, text }) => {
        expect(formatAmount(parseAmount(text, currency))).toBe(text);
      }),
    );
  });
});

describe('DTOs', () => {
  it('speaks decimal strings', () => {
    expect(toMoneyDto(parseAmount('1234.5', 'USD'))).toEqual({
      amount: '1234.50',
      currency: 'USD',
    });
    expect(fromMoneyDto({ amount: '-3.000', currency: 'KWD' })).toEqual({
      minor: -3000n,
      currency: 'KWD',
    });
    expect(() => fromMoneyDto({ amount: '1.5', currency: 'JPY' })).toThrow(MoneyError);
  });

  it('survives JSON', () => {
    const dto = toMoneyDto(money(-12345n, 'EUR'));
    expect(fromMoneyDto(JSON.parse(JSON.stringify(dto)) as typeof dto)).toEqual(
      money(-12345n, 'EUR'),
    );
  });
});

describe('arithmetic', () => {
  const usd = (text: string): ReturnType<typeof parseAmount> => parseAmount(text, 'USD');

  it('adds, subtracts, negates and sums in one currency', () => {
    expect(add(usd('1.10'), usd('2.20'))).toEqual(usd('3.30'));
    expect(sub(usd('1.10'), usd('2.20'))).toEqual(usd('-1.10'));
    expect(negate(usd('1.10'))).toEqual(usd('-1.10'));
    expect(sum([usd('1'), usd('2'), usd('-0.5')], 'USD')).toEqual(usd('2.50'));
    expect(sum([], 'JPY')).toEqual(zero('JPY'));
    expect(isZero(zero('KWD'))).toBe(true);
  });

  it('compares', () => {
    expect(compare(usd('1'), usd('2'))).toBe(-1);
    expect(compare(usd('2'), usd('2.00'))).toBe(0);
    expect(compare(usd('2.01'), usd('2'))).toBe(1);
  });

  it('refuses to mix currencies', () => {
    const eur = parseAmount('1', 'EUR');
    expect(() => add(usd('1'), eur)).toThrow('cannot add USD and EUR');
    expect(() => sub(usd('1'), eur)).toThrow('cannot subtract USD and EUR');
    expect(() => compare(usd('1'), eur)).toThrow(MoneyError);
    expect(() => sum([usd('1'), eur], 'USD')).toThrow(MoneyError);
  });

  it('rounds rational minor units half away from zero', () => {
    expect(roundMinor({ num: 27n, den: 2n }, 'JPY')).toEqual(money(14n, 'JPY'));
    expect(roundMinor({ num: -27n, den: 2n }, 'JPY')).toEqual(money(-14n, 'JPY'));
  });

  it('is associative and commutative', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt(), fc.bigInt(), (a, b, c) => {
        const [x, y, z] = [money(a, 'USD'), money(b, 'USD'), money(c, 'USD')];
        expect(add(add(x, y), z)).toEqual(add(x, add(y, z)));
        expect(add(x, y)).toEqual(add(y, x));
        expect(sub(x, y)).toEqual(add(x, negate(y)));
      }),
    );
  });
});

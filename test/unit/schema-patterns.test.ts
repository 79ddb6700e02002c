// The document's patterns and the server's checks say the same: for generated inputs, a value
// matches the documented pattern exactly when the zod schema that validates requests accepts it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  moneySchema,
  multiLine,
  positiveMoneySchema,
  singleLine,
  wholeNumberPattern,
} from '../../api/http/schemas';
import { openApiDocument } from '../../api/http/openapi';
import { defineRoute } from '../../api/http/route';
import { z } from 'zod';

/** The JSON Schema the document states for `schema` as a request body. */
function documented(schema: z.ZodType): any {
  const route = defineRoute({
    method: 'POST',
    url: '/x',
    summary: 'x',
    tag: 'x',
    roles: 'public',
    body: z.object({ value: schema }),
    success: { status: 200, description: 'x' },
    handler: async () => null,
  });
  const doc: any = openApiDocument([route], '1');
  return doc.paths['/x'].post.requestBody.content['application/json'].schema.properties.value;
}

/** Whether `value` satisfies the documented string schema (pattern and maxLength in code points). */
function matchesString(js: any, value: string): boolean {
  return (
    new RegExp(js.pattern, 'u').test(value) &&
    (js.maxLength === undefined || [...value].length <= js.maxLength)
  );
}

/** Whether a money value satisfies one of the documented anyOf branches. */
function matchesMoney(js: any, value: { amount: string; currency: string }): boolean {
  return js.anyOf.some(
    (branch: any) =>
      branch.properties.currency.enum.includes(value.currency) &&
      new RegExp(branch.properties.amount.pattern, 'u').test(value.amount),
  );
}

const amounts = fc.oneof(
  fc.stringMatching(/^-?\d{1,18}(\.\d{0,6})?$/),
  fc.constantFrom(
    '0',
    '-0',
    '-0.00',
    '0.00',
    '0.001',
    '12.',
    '.5',
    '+1',
    '1e3',
    '01.5',
    '999999999999999',
  ),
  fc.string({ maxLength: 8 }),
);
const currencies = fc.constantFrom('USD', 'JPY', 'KWD', 'CLF', 'EUR', 'XXX', 'usd', '');
const texts = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '',
    ' ',
    '\u00a0',
    '\ufeff',
    ' a ',
    'a\nb',
    '\u0085x',
    'x\u2028',
    '💸💸💸',
    'a\u0000',
  ),
);

describe('documented patterns', () => {
  it('money: the anyOf branch per currency group agrees with amountProblem and the storage bound', () => {
    for (const [schema, name] of [
      [moneySchema, 'signed'],
      [positiveMoneySchema, 'positive'],
    ] as const) {
      const js = documented(schema);
      fc.assert(
        fc.property(amounts, currencies, (amount, currency) => {
          const value = { amount, currency };
          expect({ name, value, documented: matchesMoney(js, value) }).toEqual({
            name,
            value,
            documented: schema.safeParse(value).success,
          });
        }),
        { numRuns: 3000 },
      );
    }
  });

  it('single-line and multi-line text: pattern and length in characters agree with the server', () => {
    for (const [schema, name] of [
      [singleLine(3), 'single'],
      [multiLine(3), 'multi'],
    ] as const) {
      const js = documented(schema);
      fc.assert(
        fc.property(texts, (value) => {
          expect({ name, value, documented: matchesString(js, value) }).toEqual({
            name,
            value,
            documented: schema.safeParse(value).success,
          });
        }),
        { numRuns: 3000 },
      );
    }
  });

  it('whole numbers up to a maximum', () => {
    const pattern = new RegExp(wholeNumberPattern(2_147_483_647));
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt({ min: -10n, max: 10n ** 11n }), fc.constant(2_147_483_648n)),
        (n) => {
          expect(pattern.test(String(n))).toBe(n >= 1n && n <= 2_147_483_647n);
        },
      ),
    );
  });
});

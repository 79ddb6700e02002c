import { z } from 'zod';
import { DECISIONS } from '../../domain/dispute';
import { amountProblem, currenciesByExponent } from '../../domain/money';
import { MAX_MINOR_UNITS, storageProblem } from '../../store/limits';
import {
  characters,
  ID_MAX_CHARACTERS,
  ID_PATTERN,
  SINGLE_LINE_PATTERN,
  TEXT_PATTERN,
} from '../../domain/text-patterns';
import { documentAs, type JsonSchema } from './schema-docs';

/** Text of at most `max` characters matching `pattern` as sent, then trimmed. */
function trimmedText(max: number, pattern: string, message: string): z.ZodString {
  const schema = z
    .string()
    .refine((value) => characters(value) <= max, `must be at most ${max} characters`)
    .regex(new RegExp(pattern, 'u'), message)
    .trim();
  return documentAs(schema, { input: { type: 'string', maxLength: max, pattern } });
}

/** The billing system's ids: one line, no control characters, no blanks around it. */
export const idSchema = documentAs(
  z
    .string()
    .refine(
      (value) => characters(value) <= ID_MAX_CHARACTERS,
      `must be at most ${ID_MAX_CHARACTERS} characters`,
    )
    .regex(
      new RegExp(ID_PATTERN, 'u'),
      'an id: one line, no control characters or blanks around it',
    ),
  { input: { type: 'string', maxLength: ID_MAX_CHARACTERS, pattern: ID_PATTERN } },
);

/** No control characters: nothing that could break an email header or a log line. Trimmed. */
export const singleLine = (max: number): z.ZodString =>
  trimmedText(
    max,
    SINGLE_LINE_PATTERN,
    'must be a single line without control characters, not blank',
  );

/** Free text (notes, reasons, explanations): lines allowed, not blank. Trimmed. */
export const multiLine = (max: number): z.ZodString =>
  trimmedText(max, TEXT_PATTERN, 'must not be blank or contain NUL characters');

/** A pattern of the whole numbers 1 … `max` without leading zeros, e.g. a page cursor of an int column. */
export function wholeNumberPattern(max: number): string {
  const digits = String(max);
  const shorter = digits.length > 1 ? [`[1-9]\\d{0,${digits.length - 2}}`] : [];
  // Same length as max: equal up to some digit, then smaller there, then anything.
  const same = [...digits].map((digit, i) => {
    const head = digits.slice(0, i);
    const tail = digits.length - i - 1;
    const low = i === 0 ? 1 : 0;
    if (i === digits.length - 1) return `${head}[${low}-${digit}]`;
    if (Number(digit) <= low) return null;
    return `${head}[${low}-${Number(digit) - 1}]\\d{${tail}}`;
  });
  return `^(?:${[...shorter, ...same.filter((p) => p !== null)].join('|')})$`;
}

// ---- money -------------------------------------------------------------------------------------

/** Whole-number digits that keep an amount under MAX_MINOR_UNITS (10^15) minor units. */
const wholeDigits = (exponent: number): number => String(MAX_MINOR_UNITS).length - 1 - exponent;
const fraction = (exponent: number): string => (exponent === 0 ? '' : `(?:\\.\\d{1,${exponent}})?`);

/** A decimal amount the currency can hold and the ledger can store: any sign, or not negative. */
export const signedAmount = (exponent: number): string =>
  `^-?(?:0|[1-9]\\d{0,${wholeDigits(exponent) - 1}})${fraction(exponent)}$`;
/** Not negative, and at most `maxWhole` digits before the point when that is fewer. */
export const nonNegativeAmount = (exponent: number, maxWhole = Infinity): string =>
  `^(?:0|[1-9]\\d{0,${Math.min(wholeDigits(exponent), maxWhole) - 1}})${fraction(exponent)}$`;

/** The same, greater than zero. */
function positiveAmount(exponent: number): string {
  const whole = `[1-9]\\d{0,${wholeDigits(exponent) - 1}}${fraction(exponent)}`;
  if (exponent === 0) return `^${whole}$`;
  // Below one: the first non-zero digit at each place the currency has.
  const cents = Array.from(
    { length: exponent },
    (_, zeros) => `${'0'.repeat(zeros)}[1-9]\\d{0,${exponent - 1 - zeros}}`,
  );
  return `^(?:${whole}|0\\.(?:${cents.join('|')}))$`;
}

/** What the server sends: always the currency's full number of decimals. */
const formattedAmount = (exponent: number): string =>
  `^-?(?:0|[1-9]\\d*)${exponent === 0 ? '' : `\\.\\d{${exponent}}`}$`;

/** The currencies grouped by their number of decimals, fewest first. */
export const CURRENCY_GROUPS = [...currenciesByExponent()].sort(([a], [b]) => a - b);
const ALL_CURRENCIES = CURRENCY_GROUPS.flatMap(([, codes]) => codes).sort();

/** Money as JSON Schema: per group of currencies with the same decimals, the amounts they take. */
function moneyJsonSchema(amount: (exponent: number) => string): JsonSchema {
  const branch = (currencies: readonly string[], exponent: number): JsonSchema => ({
    type: 'object',
    required: ['amount', 'currency'],
    additionalProperties: false,
    properties: {
      amount: { type: 'string', pattern: amount(exponent) },
      currency: { type: 'string', enum: [...currencies].sort() },
    },
  });
  return {
    description:
      'A decimal string in the currency’s minor unit (at most its number of decimals; ' +
      'under 10^15 minor units) and an ISO 4217 code',
    anyOf: CURRENCY_GROUPS.map(([exponent, codes]) => branch(codes, exponent)),
  };
}

const moneyOutput = moneyJsonSchema(formattedAmount);

export const moneySchema = documentAs(
  z
    .object({
      amount: z.string().max(40),
      currency: z.enum(ALL_CURRENCIES as [string, ...string[]], {
        error: 'an ISO 4217 code like "USD"',
      }),
    })
    .strict()
    .superRefine((money, ctx) => {
      const problem =
        amountProblem(money.amount, money.currency) ?? storageProblem(money.amount, money.currency);
      if (problem) ctx.addIssue({ code: 'custom', path: ['amount'], message: problem });
    }),
  { input: moneyJsonSchema(signedAmount), output: moneyOutput },
);

export const positiveMoneySchema = documentAs(
  moneySchema.refine((m) => /[1-9]/.test(m.amount) && !m.amount.startsWith('-'), {
    message: 'must be greater than zero',
    path: ['amount'],
  }),
  { input: moneyJsonSchema(positiveAmount), output: moneyOutput },
);

export const decisionKindSchema = z.enum(DECISIONS);

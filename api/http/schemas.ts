import { z } from 'zod';
import { DECISIONS } from '../../domain/dispute';
import { amountProblem, parseAmount } from '../../domain/money';

/** Letters, digits and the punctuation billing systems use in ids; no whitespace or control characters. */
export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:\-/]*$/, 'letters, digits and . _ : - / only');

/** No control characters: nothing that could break an email header or a log line. */
export const singleLine = (max: number): z.ZodString =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must be a single line without control characters');

/** Amounts are stored as 64-bit integers of minor units; this bound leaves room for any sum of them. */
export const MAX_MINOR_UNITS = 10n ** 15n;
/** Counts are stored as 32-bit integers. */
export const MAX_STORED_INT = 2_147_483_647;

/** Why a well-formed amount cannot be stored, or null. */
export function storageProblem(amount: string, currency: string): string | null {
  if (amountProblem(amount, currency) !== null) return null;
  const { minor } = parseAmount(amount, currency);
  return (minor < 0n ? -minor : minor) >= MAX_MINOR_UNITS ? 'is too large' : null;
}

export const moneySchema = z
  .object({
    amount: z.string().max(40),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code like "USD"'),
  })
  .strict()
  .superRefine((money, ctx) => {
    const problem =
      amountProblem(money.amount, money.currency) ?? storageProblem(money.amount, money.currency);
    if (problem) ctx.addIssue({ code: 'custom', path: ['amount'], message: problem });
  });

export const positiveMoneySchema = moneySchema.refine(
  (m) => /[1-9]/.test(m.amount) && !m.amount.startsWith('-'),
  {
    message: 'must be greater than zero',
    path: ['amount'],
  },
);

export const decisionKindSchema = z.enum(DECISIONS);

import { z } from 'zod';
import { DECISIONS } from '../../domain/dispute';
import { amountProblem } from '../../domain/money';
import { storageProblem } from '../../store/limits';

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

import { z } from 'zod';
import { MAX_STORED_INT } from '../../store/limits';
import { idSchema, moneySchema, wholeNumberPattern } from '../http/schemas';

export const customerIdParams = z.object({ id: idSchema });

export const ledgerQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** The `nextCursor` of the previous page. */
    cursor: z
      .string()
      .regex(new RegExp(wholeNumberPattern(MAX_STORED_INT)), 'a cursor from a previous page')
      .optional(),
  })
  .strict();

const accountType = z.enum(['asset', 'liability', 'revenue', 'contra_revenue', 'expense']);

export const ledgerEntrySchema = z.object({
  id: z.string(),
  postingId: z.string(),
  postedAt: z.iso.datetime(),
  description: z.string(),
  /** The correction document the posting books, or null for an imported invoice or payment. */
  documentNumber: z.string().nullable(),
  disputeId: z.string().nullable(),
  account: z.string(),
  side: z.enum(['debit', 'credit']),
  /** The entry's amount, always positive; `side` says which. */
  amount: moneySchema,
});

export const accountBalanceSchema = z.object({
  account: z.string(),
  type: accountType,
  /** Net of this customer's postings: debit positive, credit negative. */
  balance: moneySchema,
});

export const customerLedgerSchema = z.object({
  customerId: z.string(),
  /** What the customer owes (negative: what is owed to them), per currency. */
  receivable: z.array(moneySchema),
  balances: z.array(accountBalanceSchema),
  /** Newest first. */
  entries: z.array(ledgerEntrySchema),
  nextCursor: z.string().nullable(),
});
export type CustomerLedgerDto = z.infer<typeof customerLedgerSchema>;

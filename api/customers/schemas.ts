import { z } from 'zod';
import { INVOICE_CURSOR } from '../../store/billing/invoice-view';
import { singleLine } from '../http/schemas';
import { invoiceSummarySchema } from '../invoices/schemas';

export const customerSearchQuery = z
  .object({
    q: singleLine(100)
      .optional()
      .describe('Part of the customer number, name or email (any case); all customers without it'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const customerSummary = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  currency: z.string(),
  locale: z.string(),
});

export const customerListSchema = z.object({ items: z.array(customerSummary) });

export const customerSchema = customerSummary.extend({
  taxRate: z.string(),
  billingAddress: z.object({
    line1: z.string(),
    city: z.string(),
    postalCode: z.string(),
    country: z.string(),
  }),
});

export const customerInvoicesQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .regex(INVOICE_CURSOR, 'a cursor from a previous page')
      .optional()
      .describe('The nextCursor of the previous page'),
  })
  .strict();

export const invoiceListSchema = z.object({
  items: z.array(invoiceSummarySchema),
  nextCursor: z.string().nullable(),
});

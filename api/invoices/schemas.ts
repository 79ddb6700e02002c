import { z } from 'zod';
import { idSchema, moneySchema } from '../http/schemas';

export const invoiceIdParams = z.object({ id: idSchema }).strict();

const address = z.object({
  line1: z.string(),
  city: z.string(),
  postalCode: z.string(),
  country: z.string(),
});

const holdSchema = z.object({
  amount: moneySchema,
  disputeId: z.string().regex(/^D-[0-9A-Z]{10}$/),
  since: z.iso.datetime(),
});

export const invoiceSummarySchema = z.object({
  id: z.string(),
  customerId: z.string(),
  purchaseOrderId: z.string(),
  issuedAt: z.iso.date(),
  dueAt: z.iso.date(),
  currency: z.string(),
  total: moneySchema,
  voidedBy: z.string().nullable().describe('The corrected invoice that replaced this one'),
});

export const invoiceViewSchema = invoiceSummarySchema.extend({
  taxRate: z.string(),
  billingAddress: address,
  subtotal: moneySchema,
  tax: moneySchema,
  lines: z.array(
    z.object({
      id: z.string(),
      position: z.number().int(),
      sku: z.string(),
      poLineId: z.string(),
      quantity: z.number().int(),
      unitPrice: moneySchema,
      discountPercent: z.string(),
      lineTotal: moneySchema,
    }),
  ),
  hold: holdSchema
    .nullable()
    .describe(
      'Collection hold: the disputed amount not to be dunned while a dispute is open (from opening ' +
        'until the correction is booked or the dispute closes); the earliest when several are',
    ),
  holds: z.array(holdSchema).describe('Every open dispute’s hold on this invoice'),
});

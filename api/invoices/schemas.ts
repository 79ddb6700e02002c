import { z } from 'zod';
import { idSchema, moneySchema } from '../http/schemas';

export const invoiceIdParams = z.object({ id: idSchema });

const address = z.object({
  line1: z.string(),
  city: z.string(),
  postalCode: z.string(),
  country: z.string(),
});

export const invoiceSummarySchema = z.object({
  id: z.string(),
  customerId: z.string(),
  purchaseOrderId: z.string(),
  issuedAt: z.iso.date(),
  dueAt: z.iso.date(),
  currency: z.string(),
  total: moneySchema,
  voidedById: z.string().nullable().describe('The corrected invoice that replaced this one'),
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
});

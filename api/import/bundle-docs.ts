// What the import bundle's records mean in the OpenAPI document beyond their zod shapes: an
// invoice's or payment's amounts have at most its currency's decimals and fit the ledger. Rules
// between records (unique ids, the customer's currency, date order) are in the description.
import {
  bundleSchema,
  invoiceSchema,
  paymentSchema,
  PRICE_WHOLE_DIGITS,
} from '../../domain/bundle';
import { documentAs, type JsonSchema } from '../http/schema-docs';
import { CURRENCY_GROUPS, nonNegativeAmount, signedAmount } from '../http/schemas';

/** `overlay` laid over `base`: objects merge key by key, anything else replaces. */
function merged(base: unknown, overlay: unknown): unknown {
  if (!isObject(base) || !isObject(overlay)) return overlay;
  const out: JsonSchema = { ...base };
  for (const [key, value] of Object.entries(overlay)) out[key] = merged(base[key], value);
  return out;
}
const isObject = (v: unknown): v is JsonSchema =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * One whole record schema per group of currencies with the same decimals (not a partial anyOf
 * beside the record's schema, which generators can only meet by filtering).
 */
const byCurrency =
  (amounts: (exponent: number) => JsonSchema) =>
  (generated: JsonSchema): JsonSchema => {
    const { description, ...record } = generated;
    return {
      ...(description === undefined ? {} : { description }),
      anyOf: CURRENCY_GROUPS.map(([exponent, codes]) =>
        merged(record, {
          properties: { currency: { enum: [...codes].sort() }, ...amounts(exponent) },
        }),
      ),
    };
  };

/** An invoice record (POST /v1/invoices, the bundle's invoices). */
export const documentedInvoiceSchema = documentAs(invoiceSchema, {
  input: byCurrency((e) => ({
    subtotal: { pattern: signedAmount(e) },
    tax: { pattern: signedAmount(e) },
    total: { pattern: signedAmount(e) },
    lines: {
      items: {
        properties: {
          unitPrice: { pattern: nonNegativeAmount(e, PRICE_WHOLE_DIGITS) },
          lineTotal: { pattern: signedAmount(e) },
        },
      },
    },
  })),
});

documentAs(paymentSchema, { input: byCurrency((e) => ({ amount: { pattern: signedAmount(e) } })) });

const BUNDLE_RULES =
  'Across records: ids are unique per kind, line ids across all purchase orders and invoices, ' +
  'SKUs per contract price list and discount ids per contract; an invoice, payment or contract ' +
  'price is in its customer’s currency (with at most its decimals); validFrom ≤ validTo, ' +
  'issuedAt ≤ dueAt and a promotion’s from ≤ to. A bundle that breaks them is answered 400 with ' +
  'each problem’s path; one that refers to records that do not exist, or does not fit the ' +
  'stored ones, 422.';

/** The import bundle (POST /v1/import). */
export const documentedBundleSchema = documentAs(bundleSchema, {
  input: (generated) => ({ ...generated, description: BUNDLE_RULES }),
});

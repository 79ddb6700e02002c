import { z } from 'zod';
import { compareDecimal, isDecimalString, parseDecimal, type Decimal } from './decimal';
import type { BillingRecords } from './investigation/records';
import { amountProblem, CURRENCY_CODES, isKnownCurrency, parseAmount } from './money';
import { characters, ID_MAX_CHARACTERS, ID_PATTERN, TEXT_PATTERN } from './text-patterns';

// The import bundle of sample-data/README.md (POST /v1/import). Money stays a decimal string here
// so the schema has no transforms and documents itself; bundleToRecords turns it into Money.

type Path = readonly (string | number)[];

const HUNDRED = parseDecimal('100');
const ONE = parseDecimal('1');

// The API's ids (GET /v1/customers/{id}, …): every imported record can be addressed.
const id = z
  .string()
  .refine((value) => characters(value) <= ID_MAX_CHARACTERS, 'must be at most 64 characters')
  .regex(
    new RegExp(ID_PATTERN, 'u'),
    'must be an id on one line, without control characters or surrounding spaces',
  );
const text = z.string().regex(new RegExp(TEXT_PATTERN), 'must not be empty');
const isoDate = z.iso.date({ error: 'must be a calendar date like 2026-03-05' });
const quantity = z
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(0, 'must not be negative')
  // Stored as a 32-bit integer.
  .max(2_147_483_647, 'must be at most 2147483647');
const currency = z.enum(CURRENCY_CODES, {
  error: (issue) => `unknown ISO 4217 currency ${JSON.stringify(issue.input)}`,
});
/** Decimal strings, as the patterns the document states (and DECIMAL_PATTERN reads). */
export const AMOUNT_PATTERN = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
/** A unit price: not negative, under 10^11 in any currency, so any currency's ledger holds it. */
export const PRICE_WHOLE_DIGITS = 11;
export const PRICE_PATTERN = /^(?:0|[1-9]\d{0,10})(?:\.\d+)?$/;
const PERCENT_PATTERN = /^(?:100(?:\.0+)?|[1-9]?\d(?:\.\d+)?)$/;
const RATE_PATTERN = /^(?:1(?:\.0+)?|0(?:\.\d+)?)$/;
const amount = z.string().regex(AMOUNT_PATTERN, 'must be a decimal string like "1234.50"');
const price = z
  .string()
  .regex(PRICE_PATTERN, 'must be a decimal string, not negative, under 100000000000');

function boundedDecimal(pattern: RegExp, max: Decimal, message: string): z.ZodString {
  return (
    z
      .string()
      // abort: the bound is read only from a well-formed decimal.
      .regex(pattern, { message, abort: true })
      .refine((value) => compareDecimal(parseDecimal(value), max) <= 0, message)
  );
}
const percent = boundedDecimal(
  PERCENT_PATTERN,
  HUNDRED,
  'must be a percent from 0 to 100 as a string like "7.5"',
);
const taxRate = boundedDecimal(
  RATE_PATTERN,
  ONE,
  'must be a rate from 0 to 1 as a string like "0.0825" (8.25 %), not a percent',
);

const address = z.strictObject({ line1: text, city: text, postalCode: text, country: text });

function checkAmounts(
  ctx: z.RefinementCtx,
  recordCurrency: string,
  amounts: readonly (readonly [string, Path])[],
): void {
  if (!isKnownCurrency(recordCurrency)) return;
  for (const [value, path] of amounts) {
    if (!isDecimalString(value)) continue;
    const problem = amountProblem(value, recordCurrency);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, path: [...path] });
  }
}

function checkUnique<T>(
  ctx: z.RefinementCtx,
  items: readonly T[],
  key: (item: T) => string,
  at: (index: number) => Path,
  what: string,
  seen = new Map<string, Path>(),
): void {
  items.forEach((item, index) => {
    const value = key(item);
    const first = seen.get(value);
    if (first === undefined) seen.set(value, at(index));
    else {
      const where = first.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
      ctx.addIssue({
        code: 'custom',
        message: `duplicate ${what} "${value}" (first at ${where.slice(1)})`,
        path: [...at(index)],
      });
    }
  });
}

export const customerSchema = z.strictObject({
  id,
  name: text,
  email: z.email('must be an email address'),
  currency,
  taxRate,
  locale: z.enum(['en', 'fr']).default('en'),
  billingAddress: address,
});

const discountBase = { id, sku: text, percent };
export const discountSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...discountBase, kind: z.literal('volume'), minQuantity: quantity }),
  z
    .strictObject({ ...discountBase, kind: z.literal('promotion'), from: isoDate, to: isoDate })
    .refine((d) => d.from <= d.to, { message: 'must not be before "from"', path: ['to'] }),
  z.strictObject({ ...discountBase, kind: z.literal('retroactive'), minQuantity: quantity }),
]);

export const contractSchema = z
  .strictObject({
    id,
    customerId: id,
    validFrom: isoDate,
    validTo: isoDate,
    prices: z.array(z.strictObject({ sku: text, unitPrice: price })),
    discounts: z.array(discountSchema),
  })
  .superRefine((contract, ctx) => {
    if (contract.validFrom > contract.validTo) {
      ctx.addIssue({ code: 'custom', message: 'must not be before validFrom', path: ['validTo'] });
    }
    checkUnique(
      ctx,
      contract.prices,
      (p) => p.sku,
      (i) => ['prices', i, 'sku'],
      'price for SKU',
    );
    checkUnique(
      ctx,
      contract.discounts,
      (d) => d.id,
      (i) => ['discounts', i, 'id'],
      'discount id',
    );
  });

export const purchaseOrderSchema = z.strictObject({
  id,
  customerId: id,
  contractId: id,
  date: isoDate,
  lines: z.array(z.strictObject({ id, sku: text, quantity })).min(1, 'needs at least one line'),
});

export const deliverySchema = z.strictObject({
  id,
  purchaseOrderId: id,
  date: isoDate,
  lines: z.array(z.strictObject({ poLineId: id, quantity })).min(1, 'needs at least one line'),
});

const invoiceLineSchema = z.strictObject({
  id,
  sku: text,
  poLineId: id,
  quantity,
  unitPrice: price,
  discountPercent: percent,
  lineTotal: amount,
});

export const invoiceSchema = z
  .strictObject({
    id,
    customerId: id,
    purchaseOrderId: id,
    issuedAt: isoDate,
    dueAt: isoDate,
    currency,
    taxRate,
    billingAddress: address,
    subtotal: amount,
    tax: amount,
    total: amount,
    lines: z.array(invoiceLineSchema).min(1, 'needs at least one line'),
  })
  .superRefine((invoice, ctx) => {
    if (invoice.dueAt < invoice.issuedAt) {
      ctx.addIssue({ code: 'custom', message: 'must not be before issuedAt', path: ['dueAt'] });
    }
    checkAmounts(ctx, invoice.currency, [
      [invoice.subtotal, ['subtotal']],
      [invoice.tax, ['tax']],
      [invoice.total, ['total']],
      ...invoice.lines.flatMap((line, i) => [
        [line.unitPrice, ['lines', i, 'unitPrice']] as const,
        [line.lineTotal, ['lines', i, 'lineTotal']] as const,
      ]),
    ]);
  });

export const paymentSchema = z
  .strictObject({ id, customerId: id, invoiceId: id, receivedAt: isoDate, amount, currency })
  .superRefine((payment, ctx) =>
    checkAmounts(ctx, payment.currency, [[payment.amount, ['amount']]]),
  );

const COLLECTIONS = [
  'customers',
  'contracts',
  'purchaseOrders',
  'deliveries',
  'invoices',
  'payments',
] as const;

export const bundleSchema = z
  .strictObject({
    customers: z.array(customerSchema).default([]),
    contracts: z.array(contractSchema).default([]),
    purchaseOrders: z.array(purchaseOrderSchema).default([]),
    deliveries: z.array(deliverySchema).default([]),
    invoices: z.array(invoiceSchema).default([]),
    payments: z.array(paymentSchema).default([]),
  })
  .superRefine((bundle, ctx) => {
    for (const name of COLLECTIONS) {
      const records: readonly { id: string }[] = bundle[name];
      checkUnique(
        ctx,
        records,
        (r) => r.id,
        (i) => [name, i, 'id'],
        'id',
      );
    }
    // Line ids are unique across the whole bundle, not only within their document.
    for (const name of ['purchaseOrders', 'invoices'] as const) {
      const seen = new Map<string, Path>();
      bundle[name].forEach((document, n) => {
        const lines: readonly { id: string }[] = document.lines;
        checkUnique(
          ctx,
          lines,
          (l) => l.id,
          (i) => [name, n, 'lines', i, 'id'],
          'line id',
          seen,
        );
      });
    }

    const currencyOf = new Map(bundle.customers.map((c) => [c.id, c.currency]));
    bundle.contracts.forEach((contract, n) => {
      const code = currencyOf.get(contract.customerId);
      if (code === undefined) return;
      const prices = contract.prices.map(
        (p, i) => [p.unitPrice, ['contracts', n, 'prices', i, 'unitPrice']] as const,
      );
      checkAmounts(ctx, code, prices);
    });
    for (const name of ['invoices', 'payments'] as const) {
      bundle[name].forEach((record, n) => {
        const code = currencyOf.get(record.customerId);
        if (code !== undefined && code !== record.currency) {
          ctx.addIssue({
            code: 'custom',
            message: `must be ${code}, the currency of customer ${record.customerId}`,
            path: [name, n, 'currency'],
          });
        }
      });
    }
  });

export type BundleInput = z.input<typeof bundleSchema>;
export type Bundle = z.output<typeof bundleSchema>;
export type BundleCustomer = Bundle['customers'][number];
export type BundleContract = Bundle['contracts'][number];
export type BundleDiscount = BundleContract['discounts'][number];
export type BundlePurchaseOrder = Bundle['purchaseOrders'][number];
export type BundleDelivery = Bundle['deliveries'][number];
export type BundleInvoice = Bundle['invoices'][number];
export type BundlePayment = Bundle['payments'][number];

export interface BundleIssue {
  path: (string | number)[];
  message: string;
}

/** A parsed bundle whose contract prices cannot be read: the customer's currency is unknown. */
export class BundleReferenceError extends Error {
  override readonly name = 'BundleReferenceError';
  constructor(readonly issues: BundleIssue[]) {
    super(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
}

export interface BundleToRecordsOptions {
  /** Currencies of customers imported earlier, for contracts whose customer is not in the bundle. */
  customerCurrency?: (customerId: string) => string | undefined;
}

/** Converts a parsed bundle into domain records; throws BundleReferenceError (with paths) if not. */
export function bundleToRecords(
  bundle: Bundle,
  options: BundleToRecordsOptions = {},
): BillingRecords {
  const issues: BundleIssue[] = [];
  const currencyOf = new Map(bundle.customers.map((c) => [c.id, c.currency]));
  const contracts = bundle.contracts.map((contract, n) => {
    const code =
      currencyOf.get(contract.customerId) ?? options.customerCurrency?.(contract.customerId);
    if (code === undefined) {
      if (contract.prices.length === 0) return { ...contract, prices: [] };
      issues.push({
        path: ['contracts', n, 'customerId'],
        message: `customer ${contract.customerId} is unknown, so the currency of its prices is too`,
      });
      return { ...contract, prices: [] };
    }
    const prices = contract.prices.flatMap(({ sku, unitPrice }, i) => {
      const problem = amountProblem(unitPrice, code);
      if (problem === null) return [{ sku, unitPrice: parseAmount(unitPrice, code) }];
      issues.push({ path: ['contracts', n, 'prices', i, 'unitPrice'], message: problem });
      return [];
    });
    return { ...contract, prices };
  });
  if (issues.length > 0) throw new BundleReferenceError(issues);

  return {
    customers: bundle.customers,
    contracts,
    purchaseOrders: bundle.purchaseOrders,
    deliveries: bundle.deliveries,
    invoices: bundle.invoices.map((invoice) => ({
      ...invoice,
      subtotal: parseAmount(invoice.subtotal, invoice.currency),
      tax: parseAmount(invoice.tax, invoice.currency),
      total: parseAmount(invoice.total, invoice.currency),
      lines: invoice.lines.map((line) => ({
        ...line,
        unitPrice: parseAmount(line.unitPrice, invoice.currency),
        lineTotal: parseAmount(line.lineTotal, invoice.currency),
      })),
    })),
    payments: bundle.payments.map(({ amount: value, currency: code, ...payment }) => ({
      ...payment,
      amount: parseAmount(value, code),
    })),
  };
}

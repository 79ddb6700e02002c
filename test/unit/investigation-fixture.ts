import type {
  ContractDiscount,
  InvestigationInput,
  Invoice,
  InvoiceLine,
} from '../../domain/investigation';
import { parseAmount } from '../../domain/money';

// Hand-made scenarios: one customer (C-1), contract K-1, purchase order PO-1, invoices from specs.
// Defaults are correct invoices, computed by a reference independent of the code under test.

export interface LineSpec {
  sku: string;
  quantity: number;
  unitPrice: string;
  discountPercent?: string;
  lineTotal?: string;
  poLineId?: string;
  id?: string;
}

export interface InvoiceSpec {
  id?: string;
  issuedAt?: string;
  lines: LineSpec[];
  subtotal?: string;
  tax?: string;
  total?: string;
  customerId?: string;
  billingAddress?: typeof ADDRESS;
}

export interface ScenarioSpec {
  currency?: string;
  taxRate?: string;
  /** Contract prices, sku → unit price. */
  prices?: Record<string, string>;
  discounts?: ContractDiscount[];
  validFrom?: string;
  validTo?: string;
  /** PO lines, sku → ordered quantity (ids are `PO-1-<sku>`); defaults to 10 of every priced SKU. */
  ordered?: Record<string, number>;
  /** One record per delivery: PO line id → quantity; defaults to one delivery of all ordered. */
  deliveries?: Record<string, number>[];
  invoice: InvoiceSpec;
  otherInvoices?: InvoiceSpec[];
  reason?: string;
}

export const ADDRESS = {
  line1: '1 Main St',
  city: 'Springfield',
  postalCode: '12345',
  country: 'US',
};

const EXPONENT: Record<string, number> = { USD: 2, EUR: 2, JPY: 0, KWD: 3 };

export function poLineId(sku: string): string {
  return `PO-1-${sku}`;
}

function scaled(text: string): { value: bigint; scale: number } {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const value = BigInt(whole + fraction);
  return { value: negative ? -value : value, scale: fraction.length };
}

/** Reference rounding: sign × floor((2|n| + d) / 2d). */
export function referenceRound(num: bigint, den: bigint): bigint {
  const magnitude = num < 0n ? -num : num;
  const rounded = (2n * magnitude + den) / (2n * den);
  return num < 0n ? -rounded : rounded;
}

export function formatMinor(minor: bigint, currency: string): string {
  const exponent = EXPONENT[currency] ?? 2;
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString().padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

function minorOf(amount: string, currency: string): bigint {
  const { value, scale } = scaled(amount);
  return value * 10n ** BigInt((EXPONENT[currency] ?? 2) - scale);
}

/** round(q × p × (1 − d/100)) in minor units. */
export function referenceLineTotal(q: number, p: string, d: string, currency: string): bigint {
  const percent = scaled(d);
  const den = 100n * 10n ** BigInt(percent.scale);
  return referenceRound(BigInt(q) * minorOf(p, currency) * (den - percent.value), den);
}

/** round(amount × rate) in minor units. */
export function referenceTax(amountMinor: bigint, rate: string): bigint {
  const r = scaled(rate);
  return referenceRound(amountMinor * r.value, 10n ** BigInt(r.scale));
}

function buildInvoice(spec: InvoiceSpec, fallbackId: string, scenario: ScenarioSpec): Invoice {
  const currency = scenario.currency ?? 'USD';
  const taxRate = scenario.taxRate ?? '0.10';
  const id = spec.id ?? fallbackId;
  const lines: InvoiceLine[] = spec.lines.map((line, n) => {
    const discountPercent = line.discountPercent ?? '0';
    const lineTotal =
      line.lineTotal ??
      formatMinor(
        referenceLineTotal(line.quantity, line.unitPrice, discountPercent, currency),
        currency,
      );
    return {
      id: line.id ?? `${id}-${n + 1}`,
      sku: line.sku,
      poLineId: line.poLineId ?? poLineId(line.sku),
      quantity: line.quantity,
      unitPrice: parseAmount(line.unitPrice, currency),
      discountPercent,
      lineTotal: parseAmount(lineTotal, currency),
    };
  });
  const subtotal = spec.subtotal
    ? minorOf(spec.subtotal, currency)
    : lines.reduce((sum, line) => sum + line.lineTotal.minor, 0n);
  const tax = spec.tax ? minorOf(spec.tax, currency) : referenceTax(subtotal, taxRate);
  const total = spec.total ? minorOf(spec.total, currency) : subtotal + tax;
  return {
    id,
    customerId: spec.customerId ?? 'C-1',
    purchaseOrderId: 'PO-1',
    issuedAt: spec.issuedAt ?? '2026-03-05',
    dueAt: '2026-12-31',
    currency,
    taxRate,
    billingAddress: spec.billingAddress ?? ADDRESS,
    subtotal: { minor: subtotal, currency },
    tax: { minor: tax, currency },
    total: { minor: total, currency },
    lines,
  };
}

export function scenario(spec: ScenarioSpec): InvestigationInput {
  const currency = spec.currency ?? 'USD';
  const prices = spec.prices ?? { A: '10.00' };
  const ordered = spec.ordered ?? Object.fromEntries(Object.keys(prices).map((sku) => [sku, 10]));
  const poLines = Object.entries(ordered).map(([sku, quantity]) => ({
    id: poLineId(sku),
    sku,
    quantity,
  }));
  const deliveries = spec.deliveries ?? [
    Object.fromEntries(poLines.map((line) => [line.id, line.quantity])),
  ];
  return {
    invoice: buildInvoice(spec.invoice, 'INV-1', spec),
    customer: {
      id: 'C-1',
      name: 'Customer One',
      email: 'ap@customer.example',
      currency,
      taxRate: spec.taxRate ?? '0.10',
      locale: 'en',
      billingAddress: ADDRESS,
    },
    purchaseOrder: {
      id: 'PO-1',
      customerId: 'C-1',
      contractId: 'K-1',
      date: '2026-02-01',
      lines: poLines,
    },
    deliveries: deliveries.map((lines, n) => ({
      id: `DL-${n + 1}`,
      purchaseOrderId: 'PO-1',
      date: '2026-03-01',
      lines: Object.entries(lines).map(([id, quantity]) => ({ poLineId: id, quantity })),
    })),
    contract: {
      id: 'K-1',
      customerId: 'C-1',
      validFrom: spec.validFrom ?? '2026-01-01',
      validTo: spec.validTo ?? '2026-12-31',
      prices: Object.entries(prices).map(([sku, price]) => ({
        sku,
        unitPrice: parseAmount(price, currency),
      })),
      discounts: spec.discounts ?? [],
    },
    otherInvoices: (spec.otherInvoices ?? []).map((other, n) =>
      buildInvoice(other, `INV-0${n + 1}`, spec),
    ),
    reason: spec.reason ?? null,
  };
}

import type { Money } from '../money';

export const FINDING_RULES = [
  'arithmetic',
  'quantity',
  'double_billing',
  'pricing',
  'discount',
  'retroactive_discount',
  'tax',
  'unbilled',
  'billing_details',
  'already_corrected',
] as const;
export type FindingRule = (typeof FINDING_RULES)[number];

/** What a finding's `expected` and `actual` values measure, so each reads in its own unit. */
export type FindingValueKind = 'money' | 'quantity' | 'percent';

const VALUE_KINDS: Readonly<Record<FindingRule, FindingValueKind | null>> = {
  arithmetic: 'money',
  quantity: 'quantity',
  double_billing: 'quantity',
  pricing: 'money',
  discount: 'percent',
  retroactive_discount: 'percent',
  tax: 'money',
  unbilled: 'quantity',
  billing_details: null,
  // Names the documents already posted: no single value to read.
  already_corrected: null,
};

/** The kind of a rule's values; null for rules without single values or unknown to this version. */
export function findingValueKind(rule: string): FindingValueKind | null {
  return Object.hasOwn(VALUE_KINDS, rule) ? VALUE_KINDS[rule as FindingRule] : null;
}

export const VERDICTS = ['overcharged', 'undercharged', 'no_discrepancy', 'needs_review'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** One discrepancy; `delta` is billed minus owed (positive: the customer was overcharged). */
export interface Finding {
  rule: FindingRule;
  invoiceId: string;
  /** The invoice line, the PO line for `unbilled`, or null for invoice-level findings. */
  lineId: string | null;
  /** What the records say it should be; null where there is no single value (billing details). */
  expected: string | null;
  /** What the invoice says; null where there is no single value (billing details). */
  actual: string | null;
  delta: Money;
  explanation: string;
}

export interface InvestigationResult {
  findings: Finding[];
  totalDelta: Money;
  verdict: Verdict;
}

/** What the rules find wrong on the invoice as billed: every delta but `already_corrected`'s. */
export function discrepancyOf(
  findings: readonly { rule: string; delta: { minor: bigint } }[],
): bigint {
  let total = 0n;
  for (const f of findings) if (f.rule !== 'already_corrected') total += f.delta.minor;
  return total;
}

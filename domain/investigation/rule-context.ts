import type { Finding, FindingRule } from './finding';

/** What every rule needs to name and format its findings. */
export interface RuleContext {
  invoiceId: string;
  issuedAt: string;
  currency: string;
  contractId: string;
}

export function makeFinding(
  context: RuleContext,
  rule: FindingRule,
  lineId: string | null,
  delta: bigint,
  expected: string | null,
  actual: string | null,
  explanation: string,
): Finding {
  const { invoiceId, currency } = context;
  return {
    rule,
    invoiceId,
    lineId,
    expected,
    actual,
    delta: { minor: delta, currency },
    explanation,
  };
}

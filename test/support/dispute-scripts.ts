// What fake-activity workflow tests feed the dispute workflow: its input, and the investigation
// results the fake investigation returns (findings with signed deltas, and the verdict).
import { randomUUID } from 'node:crypto';
import type { DisputeInput } from '../../domain/dispute';
import type { FindingRule, Verdict } from '../../domain/investigation/finding';
import { parseAmount, toMoneyDto, totalDelta, type MoneyDto } from '../../domain/money';
import { DEFAULT_POLICY } from '../../domain/policy';
import type { FindingDto, InvestigationOutcome } from './fake-activities';

export const CUSTOMER = { id: 'C-100', name: 'Acme Hardware' };
/** The invoice findings name (each dispute is about an invoice of its own). */
export const INVOICE = 'INV-1001';
export const CONTACT = { name: 'Dana Lee', email: 'dana@example.com' };
export const AGENT = 'agent:test';
export const MANAGER = 'manager:test';

export const usd = (amount: string): MoneyDto => toMoneyDto(parseAmount(amount, 'USD'));

/**
 * A dispute as the API would open it, with a fresh id and an invoice of its own (the ledger's
 * guard counts every correction on an invoice, whichever dispute posted it); `openedAt` is set
 * when it starts.
 */
export function disputeInput(overrides: Partial<DisputeInput> = {}): DisputeInput {
  const suffix = randomUUID().slice(0, 8).toUpperCase();
  return {
    disputeId: `D-${suffix}`,
    customerId: CUSTOMER.id,
    customerName: CUSTOMER.name,
    invoiceId: `INV-${suffix}`,
    currency: 'USD',
    locale: 'en',
    reason: 'pricing_error',
    description: 'Unit price above the contract',
    lineIds: [],
    claimedAmount: null,
    contact: CONTACT,
    evidence: [],
    openedBy: AGENT,
    openedAt: new Date(0).toISOString(),
    internal: false,
    policy: DEFAULT_POLICY,
    ...overrides,
  };
}

/** One finding on the disputed invoice; `delta` is billed minus owed, in USD. */
export function finding(rule: FindingRule, delta: string, lineId = `${INVOICE}-1`): FindingDto {
  return {
    rule,
    invoiceId: INVOICE,
    lineId,
    expected: null,
    actual: null,
    delta: usd(delta),
    explanation: `${rule} differs by ${delta} USD`,
  };
}

export function outcome(
  verdict: Verdict,
  findings: FindingDto[],
  discountClauses: InvestigationOutcome['discountClauses'] = [],
): InvestigationOutcome {
  return {
    findings,
    totalDelta: toMoneyDto(totalDelta(findings, 'USD')),
    verdict,
    discountClauses,
  };
}

export const overcharged = (amount: string): InvestigationOutcome =>
  outcome('overcharged', [finding('pricing', amount)]);

export const undercharged = (amount: string): InvestigationOutcome =>
  outcome('undercharged', [finding('unbilled', `-${amount}`)]);

export const noDiscrepancy = (
  discountClauses: InvestigationOutcome['discountClauses'] = [],
): InvestigationOutcome => outcome('no_discrepancy', [], discountClauses);

/** Findings that cancel out: the rules cannot tell who owes whom. */
export const needsReview = (): InvestigationOutcome =>
  outcome('needs_review', [
    finding('pricing', '40.00'),
    finding('quantity', '-40.00', `${INVOICE}-2`),
  ]);

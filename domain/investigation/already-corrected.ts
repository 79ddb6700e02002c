import {
  correctionEffects,
  CorrectionHistoryError,
  type PostedCorrection,
  type PostedKind,
} from '../ledger/correction-effect';
import type { Finding } from './finding';
import { InvestigationInputError } from './input';
import { makeFinding, type RuleContext } from './rule-context';
import { amountFormatter } from './wording';

const VERBS: Readonly<Record<Exclude<PostedKind, 'reversal' | 'refund'>, string>> = {
  credit_note: 'credited',
  corrected_invoice: 'corrected',
  debit_note: 'debited',
  payment_plan: 'billed in installments',
  write_off: 'written off',
};

function listed(numbers: readonly string[]): string {
  return numbers.length < 2
    ? (numbers[0] ?? '')
    : `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)!}`;
}

/**
 * `already_corrected`: −C, C being what the corrections already posted for the invoice correct
 * (see ledger/correction-effect.ts for the signs). Names the documents still in force and the
 * reversed ones; omitted when C is 0.
 */
export function alreadyCorrectedFindings(
  corrections: readonly PostedCorrection[],
  context: RuleContext,
): Finding[] {
  if (corrections.length === 0) return [];
  let effects;
  try {
    effects = correctionEffects(corrections);
  } catch (error) {
    if (error instanceof CorrectionHistoryError) throw new InvestigationInputError(error.message);
    throw error;
  }
  const corrected = effects.reduce((sum, { effect }) => sum + effect, 0n);
  if (corrected === 0n) return [];

  const reversed = new Map(
    corrections.flatMap((d) => (d.kind === 'reversal' && d.reverses ? [[d.reverses, d]] : [])),
  );
  const byVerb = new Map<string, string[]>();
  const inForce: string[] = [];
  for (const { doc } of effects) {
    if (doc.kind === 'reversal' || doc.kind === 'refund' || reversed.has(doc.documentNumber))
      continue;
    inForce.push(doc.documentNumber);
    const verb = VERBS[doc.kind];
    byVerb.set(verb, [...(byVerb.get(verb) ?? []), doc.documentNumber]);
  }
  const parts = [...byVerb].map(([verb, numbers]) => `already ${verb} by ${listed(numbers)}`);
  for (const [original, reversal] of reversed)
    parts.push(`${original} was reversed by ${reversal.documentNumber}`);
  const money = amountFormatter(context.currency);
  const magnitude = money(corrected < 0n ? -corrected : corrected);
  const side = corrected > 0n ? "in the customer's favour" : 'billed to the customer';
  const explanation =
    `Invoice ${context.invoiceId} already carries ${magnitude} of corrections ${side}: ` +
    `${parts.join('; ')}.`;
  return [
    makeFinding(
      context,
      'already_corrected',
      null,
      -corrected,
      null,
      inForce.length > 0 ? inForce.join(', ') : null,
      explanation,
    ),
  ];
}

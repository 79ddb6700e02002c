// Decide the remedy. The amount is prefilled from the findings; it is checked against the
// currency's decimals before it is sent, and the server's 400/422 is shown beside the fields.
import { useState, type ReactNode } from 'react';
import { api, unwrap, type Dispute } from '../../../server/client';
import { DECISIONS, type DecisionKind } from '../../../server/vocabulary';
import { SelectField, TextArea, TextField } from '../../../components/fields';
import { absAmount, amountPattern, fractionDigits, moneyInput } from '../../../format/money';
import { decisionWords } from '../../../format/words';
import { ActionCard } from './action-card';
import { serverFieldError, useAction } from './use-action';

function defaultRemedy(dispute: Dispute): DecisionKind {
  if (dispute.verdict === 'overcharged') return 'credit_note';
  if (dispute.verdict === 'undercharged') return 'debit_note';
  return 'reject';
}

export function amountError(amount: string, currency: string): string | undefined {
  if (!amount.trim()) return 'Enter an amount';
  if (!amountPattern(currency).test(amount.trim())) {
    const digits = fractionDigits(currency);
    return digits === 0
      ? `A whole number of ${currency}, without decimals`
      : `A positive amount with at most ${String(digits)} decimals, like 120.50`;
  }
  if (!/[1-9]/.test(amount)) return 'Must be greater than zero';
  return undefined;
}

export function DecisionForm({ dispute }: { dispute: Dispute }): ReactNode {
  const mutation = useAction(dispute.id);
  const currency = dispute.currency;
  const [remedy, setRemedy] = useState<DecisionKind>(() => defaultRemedy(dispute));
  const [amount, setAmount] = useState(() => absAmount(dispute.totalDelta?.amount ?? ''));
  const [installments, setInstallments] = useState('3');
  const [explanation, setExplanation] = useState('');
  const [checked, setChecked] = useState(false);

  const needsAmount = remedy !== 'reject';
  const amountProblem = needsAmount ? amountError(amount, currency) : undefined;
  const count = Number(installments);
  const installmentsProblem =
    remedy === 'payment_plan' && !(Number.isInteger(count) && count >= 2 && count <= 24)
      ? 'From 2 to 24 installments'
      : undefined;

  return (
    <ActionCard
      title="Decide"
      testId="action-decision"
      open
      mutation={mutation}
      done="Decision recorded."
      onSubmit={() => {
        setChecked(true);
        if (amountProblem || installmentsProblem) return;
        mutation.mutate((key) =>
          unwrap(
            api.POST('/v1/disputes/{id}/decision', {
              params: { path: { id: dispute.id }, header: { 'Idempotency-Key': key } },
              body: {
                resolution: remedy,
                ...(needsAmount ? { amount: moneyInput(amount.trim(), currency) } : {}),
                ...(remedy === 'payment_plan' ? { installments: count } : {}),
                ...(explanation.trim() ? { explanation: explanation.trim() } : {}),
              },
            }),
          ),
        );
      }}
    >
      <SelectField
        label="Remedy"
        value={remedy}
        onValue={(v) => setRemedy(v as DecisionKind)}
        options={DECISIONS.map((d) => ({ value: d, label: decisionWords(d) }))}
        error={serverFieldError(mutation.error, '$.resolution')}
      />
      {needsAmount ? (
        <TextField
          label={`Amount (${currency})`}
          hint={
            dispute.totalDelta
              ? `The findings total ${absAmount(dispute.totalDelta.amount)} ${currency}`
              : undefined
          }
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          onValue={setAmount}
          error={
            (checked ? amountProblem : undefined) ?? serverFieldError(mutation.error, '$.amount')
          }
        />
      ) : null}
      {remedy === 'payment_plan' ? (
        <TextField
          label="Installments"
          type="number"
          min={2}
          max={24}
          value={installments}
          onValue={setInstallments}
          error={
            (checked ? installmentsProblem : undefined) ??
            serverFieldError(mutation.error, '$.installments')
          }
        />
      ) : null}
      <TextArea
        label="Explanation (optional)"
        hint="Sent to the customer with the offer"
        value={explanation}
        onValue={setExplanation}
        maxLength={5000}
        rows={3}
        error={serverFieldError(mutation.error, '$.explanation')}
      />
      <button type="submit" disabled={mutation.isPending}>
        Record decision
      </button>
    </ActionCard>
  );
}

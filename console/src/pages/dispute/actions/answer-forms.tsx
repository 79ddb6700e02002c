// Two-way answers: a manager's approval, the customer's response, the outcome of mediation.
import { useState, type ReactNode } from 'react';
import { api, unwrap, type Dispute } from '../../../server/client';
import { DECISIONS, type DecisionKind } from '../../../server/vocabulary';
import { RadioGroup, SelectField, TextArea, TextField } from '../../../components/fields';
import { formatMoney } from '../../../format/money';
import { offerOf } from '../../../format/offer';
import { decisionWords } from '../../../format/words';
import { ActionCard } from './action-card';
import { amountError } from './decision-form';
import { serverFieldError, useAction } from './use-action';

export function ApprovalForm({ dispute }: { dispute: Dispute }): ReactNode {
  const mutation = useAction(dispute.id);
  const [comment, setComment] = useState('');
  const [needComment, setNeedComment] = useState(false);
  const offer = offerOf(dispute.offer);
  const send = (approved: boolean): void => {
    const text = comment.trim();
    if (!approved && !text) {
      setNeedComment(true);
      return;
    }
    setNeedComment(false);
    mutation.mutate((key) =>
      unwrap(
        api.POST('/v1/disputes/{id}/approval', {
          params: { path: { id: dispute.id }, header: { 'Idempotency-Key': key } },
          body: { approved, ...(text ? { comment: text } : {}) },
        }),
      ),
    );
  };
  return (
    <ActionCard
      title="Approve or send back"
      testId="action-approval"
      open
      mutation={mutation}
      done="Answer recorded."
      onSubmit={() => send(true)}
    >
      {offer ? (
        <p>
          {offer.decidedBy ?? 'An agent'} decided: <strong>{decisionWords(offer.kind)}</strong>{' '}
          {formatMoney(offer.amount)}
          {offer.installments ? ` in ${String(offer.installments)} installments` : ''}.
        </p>
      ) : null}
      <TextArea
        label="Comment"
        hint="Required when sending back"
        value={comment}
        onValue={setComment}
        maxLength={2000}
        rows={2}
        error={
          needComment ? 'Say what should change' : serverFieldError(mutation.error, '$.comment')
        }
      />
      <div className="buttons">
        <button type="submit" disabled={mutation.isPending}>
          Approve
        </button>
        <button
          type="button"
          className="secondary"
          disabled={mutation.isPending}
          onClick={() => send(false)}
        >
          Send back
        </button>
      </div>
    </ActionCard>
  );
}

export function CustomerResponseForm({ dispute }: { dispute: Dispute }): ReactNode {
  const mutation = useAction(dispute.id);
  const [answer, setAnswer] = useState('');
  const [comment, setComment] = useState('');
  const [checked, setChecked] = useState(false);
  return (
    <ActionCard
      title="Record the customer’s answer"
      testId="action-customer-response"
      open
      mutation={mutation}
      done="The customer’s answer is recorded."
      onSubmit={() => {
        setChecked(true);
        if (!answer) return;
        const text = comment.trim();
        mutation.mutate((key) =>
          unwrap(
            api.POST('/v1/disputes/{id}/customer-response', {
              params: { path: { id: dispute.id }, header: { 'Idempotency-Key': key } },
              body: { accepted: answer === 'accepted', ...(text ? { comment: text } : {}) },
            }),
          ),
        );
      }}
    >
      <RadioGroup
        legend="The customer"
        name="answer"
        value={answer}
        onValue={setAnswer}
        options={[
          { value: 'accepted', label: 'Accepted the offer' },
          { value: 'rejected', label: 'Rejected the offer' },
        ]}
      />
      {checked && !answer ? (
        <p className="field-error" role="alert">
          Choose the customer’s answer
        </p>
      ) : null}
      <TextArea
        label="Comment (optional)"
        value={comment}
        onValue={setComment}
        maxLength={5000}
        rows={2}
        error={serverFieldError(mutation.error, '$.comment')}
      />
      <button type="submit" disabled={mutation.isPending}>
        Record answer
      </button>
    </ActionCard>
  );
}

export function MediationForm({ dispute }: { dispute: Dispute }): ReactNode {
  const mutation = useAction(dispute.id);
  const [agreed, setAgreed] = useState('');
  const [resolution, setResolution] = useState<DecisionKind>('credit_note');
  const [amount, setAmount] = useState('');
  const [checked, setChecked] = useState(false);
  const withAmount = agreed === 'yes' && resolution !== 'reject';
  const amountProblem = withAmount ? amountError(amount, dispute.currency) : undefined;
  return (
    <ActionCard
      title="Record the mediation outcome"
      testId="action-mediation-outcome"
      open
      mutation={mutation}
      done="Outcome recorded."
      onSubmit={() => {
        setChecked(true);
        if (!agreed || amountProblem) return;
        mutation.mutate((key) =>
          unwrap(
            api.POST('/v1/disputes/{id}/mediation-outcome', {
              params: { path: { id: dispute.id }, header: { 'Idempotency-Key': key } },
              body:
                agreed === 'yes'
                  ? {
                      agreed: true,
                      resolution,
                      ...(withAmount
                        ? { amount: { amount: amount.trim(), currency: dispute.currency } }
                        : {}),
                    }
                  : { agreed: false },
            }),
          ),
        );
      }}
    >
      <RadioGroup
        legend="Did the parties agree?"
        name="agreed"
        value={agreed}
        onValue={setAgreed}
        options={[
          { value: 'yes', label: 'Agreed' },
          { value: 'no', label: 'No agreement' },
        ]}
      />
      {checked && !agreed ? (
        <p className="field-error" role="alert">
          Choose an outcome
        </p>
      ) : null}
      {agreed === 'yes' ? (
        <>
          <SelectField
            label="Agreed remedy"
            value={resolution}
            onValue={(v) => setResolution(v as DecisionKind)}
            options={DECISIONS.map((d) => ({ value: d, label: decisionWords(d) }))}
          />
          {withAmount ? (
            <TextField
              label={`Amount (${dispute.currency})`}
              inputMode="decimal"
              value={amount}
              onValue={setAmount}
              error={
                (checked ? amountProblem : undefined) ??
                serverFieldError(mutation.error, '$.amount')
              }
            />
          ) : null}
        </>
      ) : null}
      <button type="submit" disabled={mutation.isPending}>
        Record outcome
      </button>
    </ActionCard>
  );
}

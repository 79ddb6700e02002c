// The actions whose form is one or two fields: assign, note, escalate, withdraw, reopen, reverse.
import { useState, type ReactNode } from 'react';
import { api, unwrap, type Dispute } from '../../../server/client';
import { TextArea, TextField } from '../../../components/fields';
import { useSession } from '../../../session/me';
import { ActionCard } from './action-card';
import { serverFieldError, useAction } from './use-action';

export function AssignForm({ dispute }: { dispute: Dispute }): ReactNode {
  const { me } = useSession();
  const mutation = useAction(dispute.id);
  const [other, setOther] = useState('');
  const [missing, setMissing] = useState(false);
  const assign = (assignee: string): void =>
    mutation.mutate((key) =>
      unwrap(
        api.POST('/v1/disputes/{id}/assign', {
          params: { path: { id: dispute.id }, header: { 'Idempotency-Key': key } },
          body: { assignee },
        }),
      ),
    );
  const mine = dispute.assignee === me?.actor;
  return (
    <ActionCard
      title="Assign"
      testId="action-assign"
      mutation={mutation}
      done={`Assigned to ${dispute.assignee ?? ''}.`}
      onSubmit={() => {
        const name = other.trim();
        setMissing(!name);
        if (name) assign(name);
      }}
    >
      <p>
        {dispute.assignee ? `Assigned to ${dispute.assignee}.` : 'Nobody is assigned.'}{' '}
        {!mine && me ? (
          <button type="button" onClick={() => assign(me.actor)} disabled={mutation.isPending}>
            Assign to me
          </button>
        ) : null}
      </p>
      <TextField
        label="Or assign to"
        hint="A person’s name as it appears in Settle"
        value={other}
        onValue={setOther}
        maxLength={200}
        error={missing ? 'Enter a name' : serverFieldError(mutation.error, '$.assignee')}
      />
      <button type="submit" disabled={mutation.isPending}>
        Assign
      </button>
    </ActionCard>
  );
}

export function NoteForm({ dispute }: { dispute: Dispute }): ReactNode {
  const mutation = useAction(dispute.id);
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <ActionCard
      title="Add a note"
      testId="action-notes"
      mutation={mutation}
      done="Note added to the timeline."
      onSubmit={() => {
        const value = text.trim();
        setMissing(!value);
        if (!value) return;
        mutation.mutate(
          (key) =>
            unwrap(
              api.POST('/v1/disputes/{id}/notes', {
                params: { path: { id: dispute.id }, header: { 'Idempotency-Key': key } },
                body: { text: value },
              }),
            ),
          { onSuccess: () => setText('') },
        );
      }}
    >
      <TextArea
        label="Note"
        value={text}
        onValue={setText}
        maxLength={10_000}
        rows={3}
        error={missing ? 'Write the note first' : serverFieldError(mutation.error, '$.text')}
      />
      <button type="submit" disabled={mutation.isPending}>
        Add note
      </button>
    </ActionCard>
  );
}

type ReasonPath = 'escalate' | 'withdraw' | 'reopen';

const REASON_ACTIONS: Record<
  ReasonPath,
  { title: string; button: string; done: string; hint: string }
> = {
  escalate: {
    title: 'Escalate',
    button: 'Escalate one level',
    done: 'Escalated.',
    hint: 'Why it needs the next level now',
  },
  withdraw: {
    title: 'Withdraw',
    button: 'Withdraw the dispute',
    done: 'Withdrawn.',
    hint: 'Closes the dispute as withdrawn',
  },
  reopen: {
    title: 'Reopen',
    button: 'Reopen',
    done: 'Reopened: awaiting a decision.',
    hint: 'Back to awaiting a decision, within the monitoring window',
  },
};

export function ReasonForm({ dispute, path }: { dispute: Dispute; path: ReasonPath }): ReactNode {
  const mutation = useAction(dispute.id);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const spec = REASON_ACTIONS[path];
  return (
    <ActionCard
      title={spec.title}
      testId={`action-${path}`}
      open={path === 'reopen'}
      mutation={mutation}
      done={spec.done}
      onSubmit={() => {
        const value = reason.trim();
        setMissing(!value);
        if (!value) return;
        mutation.mutate(
          (key) =>
            unwrap(
              api.POST(`/v1/disputes/{id}/${path}`, {
                params: { path: { id: dispute.id }, header: { 'Idempotency-Key': key } },
                body: { reason: value },
              }),
            ),
          { onSuccess: () => setReason('') },
        );
      }}
    >
      <TextArea
        label="Reason"
        hint={spec.hint}
        value={reason}
        onValue={setReason}
        maxLength={2000}
        rows={2}
        error={missing ? 'Give a reason' : serverFieldError(mutation.error, '$.reason')}
      />
      <button
        type="submit"
        className={path === 'withdraw' ? 'danger' : undefined}
        disabled={mutation.isPending}
      >
        {spec.button}
      </button>
    </ActionCard>
  );
}

export function ReverseForm({ dispute }: { dispute: Dispute }): ReactNode {
  const mutation = useAction(dispute.id);
  const [documentNumber, setDocumentNumber] = useState(
    () => dispute.adjustments.at(-1)?.documentNumber ?? '',
  );
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<{ document: boolean; reason: boolean }>({
    document: false,
    reason: false,
  });
  return (
    <ActionCard
      title="Reverse the correction"
      testId="action-reverse"
      mutation={mutation}
      done="Reversed: awaiting a new decision."
      onSubmit={() => {
        const document = documentNumber.trim();
        const why = reason.trim();
        setMissing({ document: !document, reason: !why });
        if (!document || !why) return;
        mutation.mutate(
          (key) =>
            unwrap(
              api.POST('/v1/disputes/{id}/reverse', {
                params: { path: { id: dispute.id }, header: { 'Idempotency-Key': key } },
                body: { documentNumber: document, reason: why },
              }),
            ),
          { onSuccess: () => setReason('') },
        );
      }}
    >
      <TextField
        label="Document"
        hint="A document of the posted correction, e.g. CN-000012"
        value={documentNumber}
        onValue={setDocumentNumber}
        maxLength={40}
        error={
          missing.document
            ? 'Enter the document number'
            : serverFieldError(mutation.error, '$.documentNumber')
        }
      />
      <TextArea
        label="Reason"
        hint="Why the correction was wrong; the customer is told it is reversed"
        value={reason}
        onValue={setReason}
        maxLength={2000}
        rows={2}
        error={missing.reason ? 'Give a reason' : serverFieldError(mutation.error, '$.reason')}
      />
      <button type="submit" className="danger" disabled={mutation.isPending}>
        Reverse the correction
      </button>
    </ActionCard>
  );
}

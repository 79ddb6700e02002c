// The actions the dispute's phase allows (the server's `availableActions`) that the reader's role
// may take (GET /v1/me). Nothing else is offered; an auditor sees none.
import type { ReactNode } from 'react';
import type { Dispute, OperationId } from '../../../server/client';
import { useSession } from '../../../session/me';
import { ActionNotice } from '../action-notice';
import { ApprovalForm, CustomerResponseForm, MediationForm } from './answer-forms';
import { DecisionForm } from './decision-form';
import { FindingsForm } from './findings-form';
import { AssignForm, NoteForm, ReasonForm, ReverseForm } from './simple-forms';

type Render = (dispute: Dispute) => ReactNode;

/** In the order they are offered: the step the phase waits for first, housekeeping after. */
const ACTIONS: readonly {
  path: Dispute['availableActions'][number];
  operation: OperationId;
  render: Render;
}[] = [
  {
    path: 'findings',
    operation: 'postV1DisputesIdFindings',
    render: (d) => <FindingsForm dispute={d} />,
  },
  {
    path: 'decision',
    operation: 'postV1DisputesIdDecision',
    render: (d) => <DecisionForm dispute={d} />,
  },
  {
    path: 'approval',
    operation: 'postV1DisputesIdApproval',
    render: (d) => <ApprovalForm dispute={d} />,
  },
  {
    path: 'customer-response',
    operation: 'postV1DisputesIdCustomerResponse',
    render: (d) => <CustomerResponseForm dispute={d} />,
  },
  {
    path: 'mediation-outcome',
    operation: 'postV1DisputesIdMediationOutcome',
    render: (d) => <MediationForm dispute={d} />,
  },
  {
    path: 'reopen',
    operation: 'postV1DisputesIdReopen',
    render: (d) => <ReasonForm dispute={d} path="reopen" />,
  },
  {
    path: 'reverse',
    operation: 'postV1DisputesIdReverse',
    render: (d) => <ReverseForm dispute={d} />,
  },
  {
    path: 'assign',
    operation: 'postV1DisputesIdAssign',
    render: (d) => <AssignForm dispute={d} />,
  },
  { path: 'notes', operation: 'postV1DisputesIdNotes', render: (d) => <NoteForm dispute={d} /> },
  {
    path: 'escalate',
    operation: 'postV1DisputesIdEscalate',
    render: (d) => <ReasonForm dispute={d} path="escalate" />,
  },
  {
    path: 'withdraw',
    operation: 'postV1DisputesIdWithdraw',
    render: (d) => <ReasonForm dispute={d} path="withdraw" />,
  },
];

export function ActionsPanel({ dispute }: { dispute: Dispute }): ReactNode {
  const { me, can } = useSession();
  const available = new Set(dispute.availableActions);
  const offered = ACTIONS.filter((a) => available.has(a.path) && can(a.operation));
  return (
    <section aria-labelledby="actions-title" className="card actions">
      <h2 id="actions-title">Actions</h2>
      <ActionNotice />
      {!me ? (
        <p aria-busy="true">Loading…</p>
      ) : offered.length === 0 ? (
        <p className="muted">
          {available.size === 0
            ? 'Nothing can be done in this phase; the page updates when it moves on.'
            : 'Your role can view this dispute but not act on it.'}
        </p>
      ) : (
        // Keyed by phase: a new phase starts with fresh forms (e.g. the decision prefilled again).
        <div key={dispute.phase}>
          {offered.map((a) => (
            <div key={a.path}>{a.render(dispute)}</div>
          ))}
        </div>
      )}
    </section>
  );
}

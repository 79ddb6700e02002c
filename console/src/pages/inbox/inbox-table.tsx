// The inbox rows. On a phone each row becomes a card; every cell keeps its column name.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { api, unwrap, type DisputeSummary } from '../../server/client';
import { EscalationBadge, MoneyText, PhaseBadge, TimeLeft } from '../../components/badges';
import { Problem } from '../../components/problem';
import { keyFor, retryTransient } from '../../server/idempotency';
import { formatMoney } from '../../format/money';
import { offerOf } from '../../format/offer';
import { decisionWords, reasonWords } from '../../format/words';
import { useSession } from '../../session/me';

export function InboxTable({
  items,
  approvals,
  onApproved,
}: {
  items: readonly DisputeSummary[];
  approvals: boolean;
  /** Told what was approved: the row leaves the view, the message stays. */
  onApproved: (message: string) => void;
}): ReactNode {
  const { can } = useSession();
  const canApprove = approvals && can('postV1DisputesIdApproval');
  return (
    <table className="list inbox">
      <caption className="visually-hidden">Disputes, soonest deadline first</caption>
      <thead>
        <tr>
          <th scope="col">Case</th>
          <th scope="col">Customer</th>
          <th scope="col">Invoice</th>
          <th scope="col">Reason</th>
          <th scope="col">Phase</th>
          <th scope="col" className="num">
            In dispute
          </th>
          <th scope="col">Assignee</th>
          <th scope="col">Escalation</th>
          <th scope="col">Time left</th>
          {canApprove ? <th scope="col">Approval</th> : null}
        </tr>
      </thead>
      <tbody>
        {items.map((d) => (
          <tr key={d.id}>
            <th scope="row" data-label="Case">
              <Link to={`/disputes/${d.id}`}>{d.id}</Link>
            </th>
            <td data-label="Customer">
              <Link to={`/customers/${encodeURIComponent(d.customerId)}`}>{d.customerName}</Link>
            </td>
            <td data-label="Invoice">{d.invoiceId}</td>
            <td data-label="Reason">{reasonWords(d.reason)}</td>
            <td data-label="Phase">
              <PhaseBadge phase={d.phase} />
            </td>
            <td data-label="In dispute" className="num">
              <MoneyText money={d.totalDelta ?? d.claimedAmount} />
            </td>
            <td data-label="Assignee">{d.assignee ?? <span className="muted">Unassigned</span>}</td>
            <td data-label="Escalation">
              <EscalationBadge level={d.escalationLevel} />
            </td>
            <td data-label="Time left">
              {d.phase === 'closed' ? (
                <span className="muted">Closed</span>
              ) : (
                <TimeLeft deadline={d.deadline} />
              )}
            </td>
            {canApprove ? (
              <td data-label="Approval">
                <QuickApprove dispute={d} onApproved={onApproved} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Approves the decision waiting for a manager, from the inbox row. */
function QuickApprove({
  dispute,
  onApproved,
}: {
  dispute: DisputeSummary;
  onApproved: (message: string) => void;
}): ReactNode {
  const client = useQueryClient();
  const offer = offerOf(dispute.offer);
  const what = offer ? `${decisionWords(offer.kind)} ${formatMoney(offer.amount)}` : 'the decision';
  const approve = useMutation({
    mutationFn: (request: object) =>
      unwrap(
        api.POST('/v1/disputes/{id}/approval', {
          params: { path: { id: dispute.id }, header: { 'Idempotency-Key': keyFor(request) } },
          body: { approved: true },
        }),
      ),
    retry: retryTransient,
    onSuccess: (updated) => {
      client.setQueryData(['dispute', dispute.id], updated);
      onApproved(`Approved ${dispute.id}: ${what}. The offer goes to the customer.`);
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['disputes'] }),
  });
  if (dispute.phase !== 'awaiting_approval') return null;
  return (
    <div className="quick-approve">
      <button
        type="button"
        disabled={approve.isPending}
        onClick={() => approve.mutate({})}
        aria-label={`Approve ${what} for ${dispute.id}`}
      >
        Approve {what}
      </button>
      <Problem error={approve.error} />
    </div>
  );
}

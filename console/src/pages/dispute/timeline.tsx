// Who did what and when, in the reader's time zone; emails with their delivery state; and the
// workflow's own history in the Temporal UI.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Problem } from '../../components/problem';
import { api, unwrap, type Dispute, type EmailList, type TimelineEvent } from '../../server/client';
import { retryTransient } from '../../server/idempotency';
import { formatMoney, type Money } from '../../format/money';
import { formatDateTime } from '../../format/time';
import {
  decisionWords,
  escalationWords,
  eventWords,
  phaseWords,
  resolutionWords,
  verdictWords,
} from '../../format/words';
import { useSession } from '../../session/me';

type Email = EmailList['items'][number];

const str = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
const money = (v: unknown): Money | null =>
  typeof v === 'object' && v !== null && typeof (v as Money).amount === 'string'
    ? (v as Money)
    : null;

const DELIVERY: Record<string, string> = {
  pending: 'Not delivered yet',
  sending: 'Being delivered',
  sent: 'Delivered',
  failed: 'Delivery failed',
};

/**
 * A manager sends again an email that could not be delivered; the outbox relay delivers it and its
 * state here follows. Sending twice is harmless: the second answer is a 409 (no longer failed).
 */
function ResendEmail({ disputeId, email }: { disputeId: string; email: Email }): ReactNode {
  const client = useQueryClient();
  const resend = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/disputes/{id}/emails/{messageId}/resend', {
          params: { path: { id: disputeId, messageId: email.id } },
        }),
      ),
    retry: retryTransient,
    onSettled: () => client.invalidateQueries({ queryKey: ['dispute', disputeId] }),
  });
  return (
    <div className="resend">
      <button
        type="button"
        className="secondary"
        disabled={resend.isPending}
        onClick={() => resend.mutate()}
      >
        {resend.isPending ? 'Sending again…' : 'Send again'}
      </button>
      <Problem error={resend.error} />
    </div>
  );
}

function EventDetail({
  event,
  emails,
  disputeId,
}: {
  event: TimelineEvent;
  emails: Map<string, Email>;
  disputeId: string;
}): ReactNode {
  const { can } = useSession();
  const d = event.data ?? {};
  switch (event.type) {
    case 'note':
      return <p className="note-text">{str(d.text)}</p>;
    case 'assigned':
      return <p>to {str(d.assignee)}</p>;
    case 'phase_changed':
      return (
        <p>
          {phaseWords(str(d.from) ?? '')} → {phaseWords(str(d.to) ?? '')}
        </p>
      );
    case 'decided':
    case 'mediation_outcome': {
      const amount = money(d.amount);
      const resolution = str(d.resolution);
      return (
        <p>
          {event.type === 'mediation_outcome' ? (d.agreed ? 'Agreed: ' : 'No agreement. ') : null}
          {resolution ? decisionWords(resolution) : null}
          {amount ? ` ${formatMoney(amount)}` : null}
          {typeof d.installments === 'number' ? ` in ${String(d.installments)} installments` : null}
          {str(d.explanation) ? ` — ${str(d.explanation)}` : null}
        </p>
      );
    }
    case 'findings_submitted':
    case 'investigated':
      return (
        <p>
          {str(d.verdict) ? verdictWords(str(d.verdict)!) : null}
          {money(d.totalDelta) ? `, total difference ${formatMoney(money(d.totalDelta))}` : null}
        </p>
      );
    case 'escalated':
      return (
        <p>
          to level {str(d.level)} ({escalationWords(Number(d.level))}),{' '}
          {d.trigger === 'deadline_missed' ? 'deadline missed' : 'by hand'}
          {str(d.comment) ? ` — ${str(d.comment)}` : null}
        </p>
      );
    case 'closed':
      return <p>{str(d.resolution) ? resolutionWords(str(d.resolution)!) : null}</p>;
    case 'email_queued': {
      const email = emails.get(str(d.messageId) ?? '');
      return (
        <>
          <p>
            “{str(d.subject)}” to {str(d.to)}{' '}
            {email ? (
              <span className={`badge delivery-${email.status}`}>
                {DELIVERY[email.status] ?? email.status}
                {email.status === 'failed' && email.lastError ? `: ${email.lastError}` : ''}
              </span>
            ) : null}
          </p>
          {email?.status === 'failed' && can('postV1DisputesIdEmailsMessageIdResend') ? (
            <ResendEmail disputeId={disputeId} email={email} />
          ) : null}
        </>
      );
    }
    case 'email_sent':
    case 'email_failed':
      return (
        <p>
          to {str(d.to)}
          {typeof d.attempts === 'number' ? ` after ${String(d.attempts)} attempt(s)` : null}
          {str(d.error) ? ` — ${str(d.error)}` : null}
        </p>
      );
    default: {
      const text = str(d.reason) ?? str(d.comment);
      return text ? <p>{text}</p> : null;
    }
  }
}

export function Timeline({
  dispute,
  emails,
}: {
  dispute: Dispute;
  emails: EmailList | undefined;
}): ReactNode {
  const { me } = useSession();
  const byId = new Map((emails?.items ?? []).map((e) => [e.id, e]));
  const ui = me?.temporalUi;
  // With the outbox at hand, each queued email carries its delivery state; the separate
  // "delivered" events would only repeat it.
  const events = emails
    ? dispute.timeline.filter((e) => e.type !== 'email_sent')
    : dispute.timeline;
  return (
    <section aria-labelledby="timeline-title" className="card">
      <h2 id="timeline-title">Timeline</h2>
      {ui ? (
        <p>
          <a
            href={`${ui.url}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(dispute.workflowId)}`}
            target="_blank"
            rel="noopener noreferrer"
          >
            Workflow {dispute.workflowId} in the Temporal UI
          </a>
        </p>
      ) : null}
      <ol className="timeline">
        {events.map((event, i) => (
          <li key={i} className={`event event-${event.type}`}>
            <time dateTime={event.at}>{formatDateTime(event.at)}</time>
            <div>
              <strong>{eventWords(event.type)}</strong>{' '}
              <span className="actor">by {event.actor}</span>
              <EventDetail event={event} emails={byId} disputeId={dispute.id} />
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

// One dispute: what it is about, the invoice with its findings, the offer, the actions the phase
// and the reader's role allow, adjustments with their postings, and the timeline. Updates live.
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { Dispute } from '../../server/client';
import { EscalationBadge, MoneyText, PhaseBadge, TimeLeft } from '../../components/badges';
import { usePageTitle } from '../../components/page-title';
import { Problem } from '../../components/problem';
import { formatMoney } from '../../format/money';
import { offerOf } from '../../format/offer';
import { formatDateTime } from '../../format/time';
import {
  decisionWords,
  phaseWords,
  reasonWords,
  resolutionWords,
  ruleWords,
} from '../../format/words';
import { ActionNoticeProvider } from './action-notice';
import { ActionsPanel } from './actions/actions-panel';
import { Adjustments } from './adjustments';
import { InvoiceFindings } from './invoice-findings';
import { useDispute, useEmails, useInvoice } from './queries';
import { Timeline } from './timeline';

const WORKING: Record<string, string> = {
  acknowledging: 'Settle is acknowledging the dispute…',
  investigating: 'Settle is investigating the invoice…',
  correcting: 'Settle is posting the correction…',
};

function OfferBox({ dispute }: { dispute: Dispute }): ReactNode {
  const offer = offerOf(dispute.offer);
  if (!offer) return null;
  return (
    <section aria-labelledby="offer-title" className="card offer">
      <h2 id="offer-title">Current offer</h2>
      <p>
        <strong>{decisionWords(offer.kind)}</strong> {formatMoney(offer.amount)}
        {offer.installments ? ` in ${String(offer.installments)} installments` : ''}
        {offer.round ? `, round ${String(offer.round)}` : ''}
      </p>
      <dl className="inline">
        <dt>Decided by</dt>
        <dd>{offer.decidedBy ?? '—'}</dd>
        <dt>Approved by</dt>
        <dd>
          {offer.approvedBy ??
            (dispute.phase === 'awaiting_approval' ? 'Waiting for a manager' : '—')}
        </dd>
      </dl>
      {offer.explanation ? <p className="note-text">{offer.explanation}</p> : null}
    </section>
  );
}

export function DisputePage(): ReactNode {
  const { id = '' } = useParams();
  const query = useDispute(id);
  const dispute = query.data;
  const invoice = useInvoice(dispute?.invoiceId);
  const emails = useEmails(id, dispute?.phase !== 'closed');
  usePageTitle(dispute ? `${dispute.id} · ${phaseWords(dispute.phase)}` : `Dispute ${id}`);

  if (!dispute) {
    return (
      <section>
        <h1>Dispute {id}</h1>
        {query.isPending ? <p aria-busy="true">Loading…</p> : <Problem error={query.error} />}
      </section>
    );
  }
  const working = WORKING[dispute.phase];
  return (
    <ActionNoticeProvider key={dispute.id}>
      <article className="dispute" aria-labelledby="dispute-title">
        <header className="dispute-header">
          <h1 id="dispute-title">
            Dispute {dispute.id} <PhaseBadge phase={dispute.phase} />
          </h1>
          <p className="live" role="status" aria-live="polite" data-testid="phase">
            {working ?? `${phaseWords(dispute.phase)}.`}
          </p>
          <Problem error={query.error} title="Could not refresh:" />
          <dl className="facts">
            <dt>Customer</dt>
            <dd>
              <Link to={`/customers/${encodeURIComponent(dispute.customerId)}`}>
                {dispute.customerName}
              </Link>{' '}
              <span className="subtle">({dispute.customerId})</span>
            </dd>
            <dt>Reason</dt>
            <dd>{reasonWords(dispute.reason)}</dd>
            <dt>Opened</dt>
            <dd>{formatDateTime(dispute.openedAt)}</dd>
            <dt>Assignee</dt>
            <dd>{dispute.assignee ?? <span className="muted">Unassigned</span>}</dd>
            <dt>Escalation</dt>
            <dd>
              <EscalationBadge level={dispute.escalationLevel} />
            </dd>
            <dt>Deadline</dt>
            <dd>
              {dispute.deadline ? (
                <>
                  {formatDateTime(dispute.deadline)} · <TimeLeft deadline={dispute.deadline} />
                </>
              ) : (
                <span className="muted">None in this phase</span>
              )}
            </dd>
            <dt>In dispute</dt>
            <dd>
              <MoneyText money={dispute.totalDelta ?? dispute.claimedAmount} />
            </dd>
            <dt>Contact</dt>
            <dd>
              {dispute.contact.name} &lt;{dispute.contact.email}&gt;
            </dd>
            {dispute.resolution ? (
              <>
                <dt>Resolution</dt>
                <dd>
                  {resolutionWords(dispute.resolution)}
                  {dispute.rootCause ? `, root cause: ${ruleWords(dispute.rootCause)}` : ''}
                  {dispute.closedAt ? `, closed ${formatDateTime(dispute.closedAt)}` : ''}
                </dd>
              </>
            ) : null}
          </dl>
          <p className="description">{dispute.description}</p>
          {dispute.evidence.length > 0 ? (
            <ul className="evidence" aria-label="Evidence">
              {dispute.evidence.map((e, i) => (
                <li key={i}>
                  <a href={e.url} rel="noopener noreferrer" target="_blank">
                    {e.name}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </header>
        <div className="dispute-grid">
          {/* Actions come first: on a phone they sit above the invoice, not after the timeline. */}
          <aside className="side-column" aria-label="Actions">
            <ActionsPanel dispute={dispute} />
          </aside>
          <div className="main-column">
            <OfferBox dispute={dispute} />
            <InvoiceFindings dispute={dispute} invoice={invoice.data} />
            <Adjustments dispute={dispute} />
            <Timeline dispute={dispute} emails={emails.data} />
          </div>
        </div>
      </article>
    </ActionNoticeProvider>
  );
}

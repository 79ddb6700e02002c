// A customer: who they are, what they owe per currency, the balance of each account, the ledger's
// entries (newest first) and their disputes.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../server/client';
import { MoneyText, PhaseBadge } from '../components/badges';
import { usePageTitle } from '../components/page-title';
import { Problem } from '../components/problem';
import { formatDateTime } from '../format/time';
import { reasonWords } from '../format/words';

export function CustomerPage(): ReactNode {
  const { id = '' } = useParams();
  const customer = useQuery({
    queryKey: ['customer', id],
    queryFn: () => unwrap(api.GET('/v1/customers/{id}', { params: { path: { id } } })),
  });
  const ledger = useInfiniteQuery({
    queryKey: ['ledger', id],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/customers/{id}/ledger', {
          params: {
            path: { id },
            query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const disputes = useInfiniteQuery({
    queryKey: ['disputes', { customerId: id }],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/disputes', {
          params: {
            query: {
              customerId: id,
              sort: 'opened',
              limit: 50,
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  usePageTitle(customer.data ? customer.data.name : `Customer ${id}`);

  const first = ledger.data?.pages[0];
  const entries = ledger.data?.pages.flatMap((p) => p.entries) ?? [];
  const cases = disputes.data?.pages.flatMap((p) => p.items) ?? [];
  const c = customer.data;

  return (
    <article aria-labelledby="customer-title">
      <h1 id="customer-title">{c ? c.name : `Customer ${id}`}</h1>
      <Problem error={customer.error} />
      {c ? (
        <dl className="facts">
          <dt>Customer number</dt>
          <dd>{c.id}</dd>
          <dt>Email</dt>
          <dd>{c.email}</dd>
          <dt>Billing address</dt>
          <dd>
            {c.billingAddress.line1}, {c.billingAddress.postalCode} {c.billingAddress.city},{' '}
            {c.billingAddress.country}
          </dd>
          <dt>Currency and tax</dt>
          <dd>
            {c.currency}, tax rate {c.taxRate}
          </dd>
        </dl>
      ) : null}

      <section aria-labelledby="balances-title" className="card">
        <h2 id="balances-title">Balances</h2>
        <Problem error={ledger.error} />
        {first ? (
          <>
            <p>
              Receivable:{' '}
              {first.receivable.length === 0
                ? 'nothing'
                : first.receivable.map((m, i) => (
                    <span key={m.currency}>
                      {i > 0 ? ', ' : ''}
                      <MoneyText money={m} />
                    </span>
                  ))}
            </p>
            <table className="list compact">
              <caption className="visually-hidden">Balance per account</caption>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Type</th>
                  <th scope="col" className="num">
                    Balance (debit +, credit −)
                  </th>
                </tr>
              </thead>
              <tbody>
                {first.balances.map((b) => (
                  <tr key={`${b.account}-${b.balance.currency}`}>
                    <th scope="row" data-label="Account">
                      {b.account}
                    </th>
                    <td data-label="Type">{b.type.replace(/_/g, ' ')}</td>
                    <td data-label="Balance" className="num">
                      <MoneyText money={b.balance} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </section>

      <section aria-labelledby="disputes-title" className="card">
        <h2 id="disputes-title">Disputes</h2>
        <Problem error={disputes.error} />
        {disputes.isSuccess && cases.length === 0 ? <p className="muted">No disputes.</p> : null}
        {cases.length > 0 ? (
          <table className="list">
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Invoice</th>
                <th scope="col">Reason</th>
                <th scope="col">Phase</th>
                <th scope="col" className="num">
                  In dispute
                </th>
                <th scope="col">Opened</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((d) => (
                <tr key={d.id}>
                  <th scope="row" data-label="Case">
                    <Link to={`/disputes/${d.id}`}>{d.id}</Link>
                  </th>
                  <td data-label="Invoice">{d.invoiceId}</td>
                  <td data-label="Reason">{reasonWords(d.reason)}</td>
                  <td data-label="Phase">
                    <PhaseBadge phase={d.phase} />
                  </td>
                  <td data-label="In dispute" className="num">
                    <MoneyText money={d.totalDelta ?? d.claimedAmount} />
                  </td>
                  <td data-label="Opened">{formatDateTime(d.openedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {disputes.hasNextPage ? (
          <button type="button" className="secondary" onClick={() => void disputes.fetchNextPage()}>
            More disputes
          </button>
        ) : null}
      </section>

      <section aria-labelledby="ledger-title" className="card">
        <h2 id="ledger-title">Ledger</h2>
        {entries.length === 0 && ledger.isSuccess ? <p className="muted">No entries.</p> : null}
        {entries.length > 0 ? (
          <table className="list" data-testid="ledger-entries">
            <caption className="visually-hidden">Ledger entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Posted</th>
                <th scope="col">Description</th>
                <th scope="col">Document</th>
                <th scope="col">Account</th>
                <th scope="col" className="num">
                  Debit
                </th>
                <th scope="col" className="num">
                  Credit
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td data-label="Posted">{formatDateTime(e.postedAt)}</td>
                  <td data-label="Description">
                    {e.description}
                    {e.disputeId ? (
                      <>
                        {' '}
                        (<Link to={`/disputes/${e.disputeId}`}>{e.disputeId}</Link>)
                      </>
                    ) : null}
                  </td>
                  <td data-label="Document">{e.documentNumber ?? '—'}</td>
                  <td data-label="Account">{e.account}</td>
                  <td data-label="Debit" className="num">
                    {e.side === 'debit' ? <MoneyText money={e.amount} /> : null}
                  </td>
                  <td data-label="Credit" className="num">
                    {e.side === 'credit' ? <MoneyText money={e.amount} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {ledger.hasNextPage ? (
          <button type="button" className="secondary" onClick={() => void ledger.fetchNextPage()}>
            Older entries
          </button>
        ) : null}
      </section>
    </article>
  );
}

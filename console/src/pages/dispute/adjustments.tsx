// The correction documents the dispute produced, each with the ledger posting that booked it.
import type { ReactNode } from 'react';
import type { Dispute } from '../../server/client';
import { MoneyText } from '../../components/badges';
import { formatDate, formatDateTime } from '../../format/time';
import { decisionWords } from '../../format/words';

export function Adjustments({ dispute }: { dispute: Dispute }): ReactNode {
  return (
    <section aria-labelledby="adjustments-title" className="card">
      <h2 id="adjustments-title">Adjustments and ledger postings</h2>
      {dispute.adjustments.length === 0 ? (
        <p className="muted">No adjustment has been posted.</p>
      ) : (
        dispute.adjustments.map((a) => (
          <article key={a.id} className="adjustment" aria-label={`${a.documentNumber}`}>
            <h3>
              {decisionWords(a.kind)} {a.documentNumber}
            </h3>
            <dl className="inline">
              <dt>Amount</dt>
              <dd>
                <MoneyText money={a.amount} />
              </dd>
              <dt>Tax</dt>
              <dd>
                <MoneyText money={a.tax} />
              </dd>
              <dt>Issued</dt>
              <dd>{formatDateTime(a.createdAt)}</dd>
            </dl>
            {a.installments && a.installments.length > 0 ? (
              <table className="list compact">
                <caption>Installments</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Due</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {a.installments.map((i) => (
                    <tr key={i.number}>
                      <th scope="row" data-label="#">
                        {i.number}
                      </th>
                      <td data-label="Due">{formatDate(i.dueAt)}</td>
                      <td data-label="Amount" className="num">
                        <MoneyText money={i.amount} />
                      </td>
                      <td data-label="Status">{i.status}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            {a.posting ? (
              <table className="list compact">
                <caption>
                  Ledger posting {a.posting.id}, {formatDateTime(a.posting.postedAt)}
                </caption>
                <thead>
                  <tr>
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
                  {a.posting.entries.map((e, n) => (
                    <tr key={n}>
                      <th scope="row" data-label="Account">
                        {e.account}
                      </th>
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
            ) : (
              <p className="muted">Not posted to the ledger.</p>
            )}
          </article>
        ))
      )}
    </section>
  );
}

// The invoice as billed, each finding beside the line it concerns, then the findings about the
// invoice as a whole (or other invoices), and the totals.
import type { ReactNode } from 'react';
import type { Dispute, Finding, Invoice } from '../../server/client';
import { MoneyText } from '../../components/badges';
import { formatMoney } from '../../format/money';
import { formatDate } from '../../format/time';
import { ruleWords, verdictWords } from '../../format/words';

function FindingDetail({ finding }: { finding: Finding }): ReactNode {
  return (
    <div className="finding">
      <strong>{ruleWords(finding.rule)}</strong>
      <dl className="inline">
        <dt>Expected</dt>
        <dd>{finding.expected ?? '—'}</dd>
        <dt>Billed</dt>
        <dd>{finding.actual ?? '—'}</dd>
        <dt>Difference</dt>
        <dd>
          <MoneyText money={finding.delta} />
        </dd>
      </dl>
      <p>{finding.explanation}</p>
    </div>
  );
}

export function InvoiceFindings({
  dispute,
  invoice,
}: {
  dispute: Dispute;
  invoice: Invoice | undefined;
}): ReactNode {
  const lineIds = new Set(invoice?.lines.map((l) => l.id) ?? []);
  const byLine = new Map<string, Finding[]>();
  const other: Finding[] = [];
  for (const f of dispute.findings) {
    if (f.lineId && f.invoiceId === dispute.invoiceId && lineIds.has(f.lineId)) {
      byLine.set(f.lineId, [...(byLine.get(f.lineId) ?? []), f]);
    } else {
      other.push(f);
    }
  }
  const disputed = new Set(dispute.lineIds);

  return (
    <section aria-labelledby="invoice-title" className="card">
      <h2 id="invoice-title">
        Invoice {dispute.invoiceId}
        {invoice ? (
          <span className="subtle">
            {' '}
            issued {formatDate(invoice.issuedAt)}, due {formatDate(invoice.dueAt)}
            {invoice.voidedBy ? `, voided by ${invoice.voidedBy}` : ''}
            {invoice.hold ? `, ${formatMoney(invoice.hold.amount)} on collection hold` : ''}
          </span>
        ) : null}
      </h2>
      {invoice ? (
        <div className="table-scroll">
          <table className="list invoice">
            <caption className="visually-hidden">
              Invoice lines with the findings about each
            </caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">SKU</th>
                <th scope="col" className="num">
                  Quantity
                </th>
                <th scope="col" className="num">
                  Unit price
                </th>
                <th scope="col" className="num">
                  Discount
                </th>
                <th scope="col" className="num">
                  Line total
                </th>
                <th scope="col">Findings</th>
              </tr>
            </thead>
            <tbody>
              {invoice.lines.map((line) => {
                const findings = byLine.get(line.id) ?? [];
                return (
                  <tr key={line.id} className={findings.length ? 'has-findings' : undefined}>
                    <th scope="row" data-label="Line">
                      {line.id}
                      {disputed.has(line.id) ? <span className="tag">disputed</span> : null}
                    </th>
                    <td data-label="SKU">{line.sku}</td>
                    <td data-label="Quantity" className="num">
                      {line.quantity}
                    </td>
                    <td data-label="Unit price" className="num">
                      <MoneyText money={line.unitPrice} />
                    </td>
                    <td data-label="Discount" className="num">
                      {line.discountPercent}%
                    </td>
                    <td data-label="Line total" className="num">
                      <MoneyText money={line.lineTotal} />
                    </td>
                    <td data-label="Findings">
                      {findings.length ? (
                        findings.map((f, i) => <FindingDetail key={i} finding={f} />)
                      ) : (
                        <span className="muted">None</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={5}>
                  Subtotal
                </th>
                <td className="num" data-label="Subtotal">
                  <MoneyText money={invoice.subtotal} />
                </td>
                <td />
              </tr>
              <tr>
                <th scope="row" colSpan={5}>
                  Tax ({invoice.taxRate})
                </th>
                <td className="num" data-label="Tax">
                  <MoneyText money={invoice.tax} />
                </td>
                <td />
              </tr>
              <tr>
                <th scope="row" colSpan={5}>
                  Total billed
                </th>
                <td className="num" data-label="Total billed">
                  <MoneyText money={invoice.total} />
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      ) : (
        <p className="muted">Loading the invoice…</p>
      )}

      {other.length > 0 ? (
        <>
          <h3>Findings about the invoice as a whole</h3>
          <div className="table-scroll">
            <table className="list">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Invoice</th>
                  <th scope="col">Line</th>
                  <th scope="col">Expected</th>
                  <th scope="col">Billed</th>
                  <th scope="col" className="num">
                    Difference
                  </th>
                  <th scope="col">Explanation</th>
                </tr>
              </thead>
              <tbody>
                {other.map((f, i) => (
                  <tr key={i}>
                    <th scope="row" data-label="Rule">
                      {ruleWords(f.rule)}
                    </th>
                    <td data-label="Invoice">{f.invoiceId}</td>
                    <td data-label="Line">{f.lineId ?? '—'}</td>
                    <td data-label="Expected">{f.expected ?? '—'}</td>
                    <td data-label="Billed">{f.actual ?? '—'}</td>
                    <td data-label="Difference" className="num">
                      <MoneyText money={f.delta} />
                    </td>
                    <td data-label="Explanation">{f.explanation}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      <dl className="totals">
        <dt>Findings</dt>
        <dd>{dispute.findings.length}</dd>
        <dt>Verdict</dt>
        <dd>{dispute.verdict ? verdictWords(dispute.verdict) : 'Not investigated yet'}</dd>
        <dt>Total difference</dt>
        <dd>
          <MoneyText money={dispute.totalDelta} />
          <span className="hint"> (positive: the customer was overcharged)</span>
        </dd>
        {dispute.claimedAmount ? (
          <>
            <dt>Claimed by the customer</dt>
            <dd>
              <MoneyText money={dispute.claimedAmount} />
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

// One report: its chart, its numbers as a table (on demand) and as a CSV download.
import type { ChartConfiguration } from 'chart.js';
import type { ReactNode } from 'react';
import { ChartCanvas } from './chart';
import { downloadCsv, type DataTable } from './csv';

export function ChartCard({
  id,
  title,
  description,
  config,
  table,
}: {
  id: string;
  title: string;
  description: string;
  config: ChartConfiguration | null;
  table: DataTable;
}): ReactNode {
  const empty = table.rows.length === 0;
  return (
    <section
      className="card chart-card"
      aria-labelledby={`${id}-title`}
      data-testid={`report-${id}`}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="subtle">{description}</p>
      {empty || !config ? (
        <p className="muted">No data in this period.</p>
      ) : (
        <ChartCanvas
          config={config}
          label={`${title}: ${description}. The numbers are in the table below.`}
        />
      )}
      <details>
        <summary>Numbers</summary>
        <div className="table-scroll">
          <table className="list compact">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((value, j) =>
                    j === 0 ? (
                      <th key={j} scope="row">
                        {value}
                      </th>
                    ) : (
                      <td key={j} className="num">
                        {value ?? '—'}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <button
        type="button"
        className="secondary"
        disabled={empty}
        onClick={() => downloadCsv(`settle-${id}.csv`, table)}
      >
        Download CSV<span className="visually-hidden"> of {title}</span>
      </button>
    </section>
  );
}

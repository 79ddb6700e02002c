// Reports for a date range in the URL (?from=&to=, dates inclusive), as charts with their numbers.
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../server/client';
import { TextField } from '../../components/fields';
import { usePageTitle } from '../../components/page-title';
import { Problem } from '../../components/problem';
import { formatDuration } from '../../format/time';
import { ChartCard } from './chart-card';
import { reportsOf } from './report-charts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const validDate = (value: string | null): value is string =>
  value !== null && DATE.test(value) && !Number.isNaN(Date.parse(value));

/** The API's `to` is exclusive; the page's is the last day included. */
const dayAfter = (date: string): string => isoDate(Date.parse(date) + DAY_MS);

export function ReportsPage(): ReactNode {
  usePageTitle('Reports');
  const [params, setParams] = useSearchParams();
  const [today] = useState(() => isoDate(Date.now()));
  const to = validDate(params.get('to')) ? params.get('to')! : today;
  const from = validDate(params.get('from'))
    ? params.get('from')!
    : isoDate(Date.parse(to) - 83 * DAY_MS);
  const [draft, setDraft] = useState({ from, to });
  const [rangeProblem, setRangeProblem] = useState<string | null>(null);

  const query = { from, to: dayAfter(to) };
  const summary = useQuery({
    queryKey: ['report', 'summary', query],
    queryFn: () => unwrap(api.GET('/v1/reports/summary', { params: { query } })),
  });
  const series = useQuery({
    queryKey: ['report', 'series', query],
    queryFn: () => unwrap(api.GET('/v1/reports/series', { params: { query } })),
  });
  const reports = useMemo(
    () => (summary.data && series.data ? reportsOf(summary.data, series.data) : []),
    [summary.data, series.data],
  );

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!validDate(draft.from) || !validDate(draft.to)) {
      setRangeProblem('Enter both dates as YYYY-MM-DD');
      return;
    }
    if (draft.from > draft.to) {
      setRangeProblem('The first day must not be after the last');
      return;
    }
    setRangeProblem(null);
    setParams({ from: draft.from, to: draft.to });
  };

  const s = summary.data;
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">Reports</h1>
      <form className="range" onSubmit={submit} noValidate>
        <TextField
          label="From"
          type="date"
          value={draft.from}
          onValue={(v) => setDraft((d) => ({ ...d, from: v }))}
        />
        <TextField
          label="To (included)"
          type="date"
          value={draft.to}
          onValue={(v) => setDraft((d) => ({ ...d, to: v }))}
          error={rangeProblem ?? undefined}
        />
        <button type="submit">Show</button>
      </form>
      <Problem error={summary.error ?? series.error} />
      {s ? (
        <dl className="headline" aria-label="Key figures">
          <div>
            <dt>Opened</dt>
            <dd data-testid="figure-opened">{s.opened}</dd>
          </div>
          <div>
            <dt>Closed</dt>
            <dd data-testid="figure-closed">{s.closed}</dd>
          </div>
          <div>
            <dt>Median time to resolve</dt>
            <dd>{formatDuration(s.timeToResolve.medianSeconds)}</dd>
          </div>
          <div>
            <dt>90th percentile</dt>
            <dd>{formatDuration(s.timeToResolve.p90Seconds)}</dd>
          </div>
          <div>
            <dt>Missed deadlines</dt>
            <dd>{s.slaBreaches.missedDeadlines}</dd>
          </div>
        </dl>
      ) : null}
      {summary.isPending || series.isPending ? <p aria-busy="true">Loading…</p> : null}
      <div className="charts">
        {reports.map((r) => (
          <ChartCard
            key={r.id}
            id={r.id}
            title={r.title}
            description={r.description}
            config={r.config}
            table={r.table}
          />
        ))}
      </div>
    </section>
  );
}

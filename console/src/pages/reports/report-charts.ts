// Each report's table (the API's numbers, unchanged) and the chart drawn from it.
import type { ChartConfiguration } from 'chart.js';
import type { Series, Summary } from '../../server/client';
import { escalationWords, reasonWords, ruleWords } from '../../format/words';
import type { DataTable } from './csv';
import { PALETTE } from './chart';

export interface Report {
  id: string;
  title: string;
  description: string;
  table: DataTable;
  config: ChartConfiguration | null;
}

const days = (seconds: number | null): number | null =>
  seconds === null ? null : Math.round((seconds / 86_400) * 100) / 100;

function openedClosed(series: Series): Report {
  const table: DataTable = {
    columns: ['Week starting', 'Opened', 'Closed'],
    rows: series.weeks.map((w) => [w.week, w.opened, w.closed]),
  };
  return {
    id: 'opened-closed',
    title: 'Disputes opened and closed per week',
    description: 'Weeks start on Monday (UTC)',
    table,
    config: {
      type: 'bar',
      data: {
        labels: series.weeks.map((w) => w.week),
        datasets: [
          { label: 'Opened', data: series.weeks.map((w) => w.opened), backgroundColor: PALETTE[0] },
          { label: 'Closed', data: series.weeks.map((w) => w.closed), backgroundColor: PALETTE[1] },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    },
  };
}

function timeToResolve(series: Series): Report {
  const weeks = series.weeks.filter((w) => w.closed > 0);
  return {
    id: 'time-to-resolve',
    title: 'Time to resolve',
    description: 'Median and 90th percentile, in days, of disputes closed each week',
    table: {
      columns: ['Week starting', 'Closed', 'Median (days)', 'P90 (days)'],
      rows: weeks.map((w) => [
        w.week,
        w.closed,
        days(w.medianSecondsToResolve),
        days(w.p90SecondsToResolve),
      ]),
    },
    config: {
      type: 'line',
      data: {
        labels: weeks.map((w) => w.week),
        datasets: [
          {
            label: 'Median',
            data: weeks.map((w) => days(w.medianSecondsToResolve)),
            borderColor: PALETTE[0],
            backgroundColor: PALETTE[0],
          },
          {
            label: '90th percentile',
            data: weeks.map((w) => days(w.p90SecondsToResolve)),
            borderColor: PALETTE[1],
            backgroundColor: PALETTE[1],
            borderDash: [6, 4],
          },
        ],
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'days' } } } },
    },
  };
}

function rootCauses(summary: Summary): Report {
  const total = summary.byRootCause.reduce((n, r) => n + r.count, 0);
  let running = 0;
  const cumulative = summary.byRootCause.map((r) => {
    running += r.count;
    return Math.round((running / Math.max(1, total)) * 1000) / 10;
  });
  return {
    id: 'root-causes',
    title: 'Root causes (Pareto)',
    description:
      'Disputes closed in the period by root cause, most frequent first, with the cumulative share',
    table: {
      columns: ['Root cause', 'Disputes', 'Cumulative %'],
      rows: summary.byRootCause.map((r, i) => [r.rootCause, r.count, cumulative[i] ?? null]),
    },
    config: {
      type: 'bar',
      data: {
        labels: summary.byRootCause.map((r) => ruleWords(r.rootCause)),
        datasets: [
          {
            type: 'bar',
            label: 'Disputes',
            data: summary.byRootCause.map((r) => r.count),
            backgroundColor: PALETTE[0],
            yAxisID: 'y',
          },
          {
            type: 'line',
            label: 'Cumulative %',
            data: cumulative,
            borderColor: PALETTE[1],
            backgroundColor: PALETTE[1],
            yAxisID: 'share',
          },
        ],
      },
      options: {
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 } },
          share: { position: 'right', min: 0, max: 100, title: { display: true, text: '%' } },
        },
      },
    },
  };
}

function reasons(summary: Summary): Report {
  const rows = Object.entries(summary.byReason)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  return {
    id: 'reasons',
    title: 'Reasons',
    description: 'Disputes opened in the period, by the reason given',
    table: { columns: ['Reason', 'Disputes'], rows: rows.map(([reason, n]) => [reason, n]) },
    config: {
      type: 'bar',
      data: {
        labels: rows.map(([reason]) => reasonWords(reason)),
        datasets: [
          { label: 'Disputes', data: rows.map(([, n]) => n), backgroundColor: PALETTE[2] },
        ],
      },
      options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    },
  };
}

function slaBreaches(series: Series): Report {
  const levels = series.slaBreachesByLevel;
  return {
    id: 'sla-breaches',
    title: 'SLA breaches per escalation level',
    description: 'Deadlines missed in the period, by the level the dispute escalated to',
    table: {
      columns: ['Level', 'Name', 'Missed deadlines'],
      rows: levels.map((l) => [l.level, l.name, l.count]),
    },
    config: {
      type: 'bar',
      data: {
        labels: levels.map((l) => `${String(l.level)} · ${escalationWords(l.level)}`),
        datasets: [
          {
            label: 'Missed deadlines',
            data: levels.map((l) => l.count),
            backgroundColor: PALETTE[4],
          },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    },
  };
}

function creditsDebits(series: Series): Report {
  const rows: DataTable['rows'] = [];
  const keys = new Set<string>();
  for (const m of series.months) {
    for (const c of m.credits) {
      rows.push([m.month, 'credit', c.currency, c.amount.amount, c.count]);
      keys.add(`credit ${c.currency}`);
    }
    for (const d of m.debits) {
      rows.push([m.month, 'debit', d.currency, d.amount.amount, d.count]);
      keys.add(`debit ${d.currency}`);
    }
  }
  const labels = series.months.map((m) => m.month);
  const datasets = [...keys].map((key, i) => {
    const [side, currency] = key.split(' ') as [string, string];
    return {
      label: `${side === 'credit' ? 'Credits' : 'Debits'} (${currency})`,
      backgroundColor: PALETTE[i % PALETTE.length],
      // Plotted as numbers; the table and CSV keep the exact decimal strings.
      data: series.months.map((m) =>
        Number(
          (side === 'credit' ? m.credits : m.debits).find((x) => x.currency === currency)?.amount
            .amount ?? 0,
        ),
      ),
    };
  });
  return {
    id: 'credits-debits',
    title: 'Credits and debits issued per month',
    description: 'Credit notes and debit notes, including tax, per currency',
    table: { columns: ['Month', 'Side', 'Currency', 'Amount', 'Documents'], rows },
    config: {
      type: 'bar',
      data: { labels, datasets },
      options: { scales: { y: { beginAtZero: true } } },
    },
  };
}

function recurrences(series: Series): Report {
  return {
    id: 'recurrences',
    title: 'Recurrences found in monitoring',
    description: 'The same error found again on a new invoice of a monitored customer, per week',
    table: {
      columns: ['Week starting', 'Recurrences'],
      rows: series.weeks.filter((w) => w.recurrences > 0).map((w) => [w.week, w.recurrences]),
    },
    config: {
      type: 'bar',
      data: {
        labels: series.weeks.map((w) => w.week),
        datasets: [
          {
            label: 'Recurrences',
            data: series.weeks.map((w) => w.recurrences),
            backgroundColor: PALETTE[3],
          },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    },
  };
}

export function reportsOf(summary: Summary, series: Series): Report[] {
  return [
    openedClosed(series),
    timeToResolve(series),
    rootCauses(summary),
    reasons(summary),
    slaBreaches(series),
    creditsDebits(series),
    recurrences(series),
  ];
}

// Statistics, the console table and the JSON file of a benchmark run.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Measurement, Stat, Target, Throughput } from './benchmark';

export interface Stats {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface MeasurementResult {
  benchmark: string;
  name: string;
  unit: string;
  stats: Stats;
  throughput: Throughput | null;
  target: (Target & { pass: boolean }) | null;
  samples: number[];
  details: Record<string, unknown>;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export function statsOf(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
  };
}

function statValue(stat: Stat, stats: Stats, throughput: Throughput | undefined): number {
  return stat === 'throughput' ? (throughput?.perSecond ?? Number.NaN) : stats[stat];
}

export function evaluate(benchmark: string, m: Measurement): MeasurementResult {
  const stats = statsOf(m.samples);
  let target: MeasurementResult['target'] = null;
  if (m.target) {
    const value = statValue(m.target.stat, stats, m.throughput);
    const pass = 'max' in m.target ? value < m.target.max : value >= m.target.min;
    target = { ...m.target, pass };
  }
  return {
    benchmark,
    name: m.name,
    unit: m.unit,
    stats,
    throughput: m.throughput ?? null,
    target,
    samples: m.samples,
    details: m.details ?? {},
  };
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Three significant digits for small values, whole numbers with separators for large ones. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Number.isInteger(value)) return grouped.format(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return grouped.format(value);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function describeTarget(target: MeasurementResult['target'], unit: string): string {
  if (!target) return '—';
  if ('max' in target) return `${target.stat} < ${formatNumber(target.max)} ${unit}`;
  return `${target.stat} ≥ ${formatNumber(target.min)}`;
}

export function formatTable(results: readonly MeasurementResult[]): string {
  const header = [
    'benchmark',
    'measurement',
    'n',
    'p50',
    'p90',
    'p99',
    'max',
    'throughput',
    'target',
    'result',
  ];
  const rows = results.map((r) => {
    const at = (v: number): string => `${formatNumber(v)} ${r.unit}`;
    return [
      r.benchmark,
      r.name,
      String(r.stats.n),
      at(r.stats.p50),
      at(r.stats.p90),
      at(r.stats.p99),
      at(r.stats.max),
      r.throughput ? `${formatNumber(r.throughput.perSecond)} ${r.throughput.unit}` : '—',
      describeTarget(r.target, r.unit),
      r.target ? (r.target.pass ? 'pass' : 'FAIL') : '—',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const numeric = new Set([2, 3, 4, 5, 6, 7]);
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function gitRevision(): { commit: string | null; dirty: boolean | null } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return { commit: null, dirty: null };
  }
}

export function environment(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? null,
    memoryMB: Math.round(os.totalmem() / 2 ** 20),
    // Other processes skew timings: a load above the CPU count makes the figures pessimistic.
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    git: gitRevision(),
  };
}

export interface RunRecord {
  benchmark: string;
  description: string;
  startedAt: string;
  durationMs: number;
  quick: boolean;
  environment: Record<string, unknown>;
  measurements: MeasurementResult[];
  /** The benchmark's own table, when it has one. */
  report?: string;
}

/** Writes bench/results/<timestamp>-<name>.json and returns its path. */
export async function writeResult(dir: string, record: RunRecord): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = record.startedAt.replace(/[:.]/g, '-');
  const file = path.join(dir, `${stamp}-${record.benchmark}.json`);
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/** A comma-separated list of positive numbers from the environment (e.g. rates); undefined if unset. */
export function positiveNumbers(value: string | undefined): number[] | undefined {
  if (!value) return undefined;
  const list = value.split(',').map(Number);
  if (list.some((n) => !(Number.isFinite(n) && n > 0)))
    throw new Error(`expected positive numbers, got "${value}"`);
  return list;
}

/** A benchmark's own table: a title, a header row, a rule, then the rows, columns padded to fit. */
export function textTable(
  title: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [title, line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join(
    '\n',
  );
}

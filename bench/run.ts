// `npm run bench [-- NAME…] [--quick] [--list]`: runs the benchmarks whose name contains one of the
// NAMEs (all without), prints a table and writes bench/results/<timestamp>-<name>.json for each.
// Exits 1 when a benchmark fails or misses its target.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchContext, Measurement } from './benchmark';
import { registry } from './registry';
import { environment, evaluate, formatTable, writeResult, type MeasurementResult } from './report';

const resultsDir = fileURLToPath(new URL('./results', import.meta.url));

function createProgress(stream: NodeJS.WriteStream = process.stderr): {
  show(text: string): void;
  clear(): void;
} {
  let lastLine = '';
  let lastAt = 0;
  return {
    show(text) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${text.slice(0, (stream.columns || 120) - 1)}`);
        return;
      }
      // Logs get a line per step and at most one every two seconds within a step.
      const step = text.replace(/\s+\d+\/\d+.*$/, '');
      if (step !== lastLine || Date.now() - lastAt > 2000) {
        stream.write(`${text}\n`);
        lastLine = step;
        lastAt = Date.now();
      }
    },
    clear() {
      if (stream.isTTY) stream.write('\r\x1b[2K');
    },
  };
}

async function runOne(
  name: string,
  quick: boolean,
  progress: ReturnType<typeof createProgress>,
): Promise<{ results: MeasurementResult[]; file: string; report: string | undefined }> {
  const benchmark = await registry[name]!();
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const cleanups: (() => unknown)[] = [];
  const show = (step: string, done?: number, total?: number): void => {
    const counter = done === undefined ? '' : ` ${done}/${total ?? '?'}`;
    const elapsed = ((Date.now() - started) / 1000).toFixed(0);
    progress.show(`[${name}] ${step}${counter}  (${elapsed} s)`);
  };
  const ctx: BenchContext = {
    quick,
    progress: show,
    async sample(step, fn, { iterations, warmup = 0 }) {
      for (let i = 0; i < warmup; i += 1) {
        show(`${step} (warm-up)`, i + 1, warmup);
        await fn(-1 - i);
      }
      const samples: number[] = [];
      for (let i = 0; i < iterations; i += 1) {
        show(step, i, iterations);
        const t0 = performance.now();
        await fn(i);
        samples.push(performance.now() - t0);
      }
      show(step, iterations, iterations);
      return samples;
    },
    defer(cleanup) {
      cleanups.push(cleanup);
    },
  };
  let measurements: Measurement[];
  try {
    measurements = await benchmark.run(ctx);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    progress.clear();
  }
  const results = measurements.map((m) => evaluate(name, m));
  const report = benchmark.report?.(results);
  const file = await writeResult(resultsDir, {
    benchmark: name,
    description: benchmark.description,
    startedAt,
    durationMs: Date.now() - started,
    quick,
    environment: environment(),
    measurements: results,
    ...(report === undefined ? {} : { report }),
  });
  return { results, file, report };
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const filters = argv.filter((a) => !a.startsWith('--'));
  const unknown = [...flags].filter((f) => !['--quick', '--list', '--help'].includes(f));
  const names = Object.keys(registry);
  if (flags.has('--help') || unknown.length > 0) {
    console.error(
      `usage: npm run bench [-- NAME…] [--quick] [--list]\nbenchmarks: ${names.join(', ')}`,
    );
    return unknown.length > 0 ? 2 : 0;
  }
  if (flags.has('--list')) {
    for (const name of names)
      console.log(`${name.padEnd(16)} ${(await registry[name]!()).description}`);
    return 0;
  }
  const selected = names.filter((n) => filters.length === 0 || filters.some((f) => n.includes(f)));
  if (selected.length === 0) {
    console.error(`no benchmark matches ${filters.join(', ')}; there are: ${names.join(', ')}`);
    return 2;
  }

  const [load] = os.loadavg();
  if (load !== undefined && load > os.cpus().length) {
    console.error(
      `load average ${load.toFixed(1)} on ${os.cpus().length} CPUs: timings will be pessimistic`,
    );
  }
  const progress = createProgress();
  const all: MeasurementResult[] = [];
  const files: string[] = [];
  const reports: string[] = [];
  let failed = false;
  for (const name of selected) {
    try {
      const { results, file, report } = await runOne(name, flags.has('--quick'), progress);
      all.push(...results);
      files.push(file);
      if (report !== undefined) reports.push(report);
      console.error(`[${name}] done: ${results.length} measurement(s)`);
    } catch (error) {
      failed = true;
      console.error(`[${name}] failed:`, error);
    }
  }
  if (all.length > 0) console.log(`\n${formatTable(all)}\n`);
  for (const report of reports) console.log(`${report}\n`);
  for (const file of files) console.log(`wrote ${file}`);
  const missed = all.filter((r) => r.target && !r.target.pass);
  if (missed.length > 0)
    console.log(`missed target: ${missed.map((r) => `${r.benchmark}: ${r.name}`).join('; ')}`);
  return failed || missed.length > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));

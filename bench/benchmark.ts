// What a benchmark is: a named run that returns measurements, each with its samples and target.
// Add one with a file exporting `benchmark: Benchmark` and a line in bench/registry.ts.
import type { MeasurementResult } from './report';

export type Stat = 'p50' | 'p90' | 'p99' | 'max' | 'mean' | 'throughput';

/** A measurement passes when its `stat` is below `max` (times, memory) or at least `min` (throughput). */
export type Target = { stat: Stat; max: number } | { stat: Stat; min: number };

export interface Throughput {
  perSecond: number;
  /** What is counted, e.g. "lines/s" or "disputes/s". */
  unit: string;
}

export interface Measurement {
  /** A row of the table, e.g. "pure function, 10,000 lines". */
  name: string;
  /** Unit of the samples: "ms" for durations, "MB" for memory. */
  unit: string;
  samples: number[];
  throughput?: Throughput;
  target?: Target;
  /** Anything else worth keeping in the JSON result (sizes, counts, configuration). */
  details?: Record<string, unknown>;
}

export interface SampleOptions {
  iterations: number;
  /** Untimed runs first, so JIT and caches are warm. */
  warmup?: number;
}

export interface BenchContext {
  /** `--quick`: fewer iterations, for a smoke run; benchmarks scale their own counts. */
  quick: boolean;
  /** Shows what runs now; `done`/`total` draw a counter. */
  progress(step: string, done?: number, total?: number): void;
  /** Runs `fn` `warmup` times, then `iterations` times timed; returns each run's milliseconds. */
  sample(
    step: string,
    fn: (iteration: number) => unknown,
    options: SampleOptions,
  ): Promise<number[]>;
  /** Registers a clean-up that runs after the benchmark, also when it fails (last in, first out). */
  defer(cleanup: () => unknown): void;
}

export interface Benchmark {
  description: string;
  run(ctx: BenchContext): Promise<Measurement[]>;
  /** A table of its own, printed after the common one and kept in the JSON result. */
  report?(results: readonly MeasurementResult[]): string;
}

/** Items per second over the total time of the samples (in ms). */
export function throughputOf(
  itemsPerSample: number,
  samplesMs: readonly number[],
  unit: string,
): Throughput {
  const totalMs = samplesMs.reduce((sum, ms) => sum + ms, 0);
  return {
    perSecond: totalMs > 0 ? (itemsPerSample * samplesMs.length * 1000) / totalMs : 0,
    unit,
  };
}

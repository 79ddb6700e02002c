// Open-loop load: disputes opened at a fixed arrival rate whatever the system's state, each timed
// from the instant it was due (so a slow generator or a backed-up API adds to its latency instead
// of hiding it), to its acknowledgement email at the SMTP sink.
import { setTimeout as delay } from 'node:timers/promises';
import type { DisputableInvoice } from '../test/support/disputable-invoices';
import type { AckSink } from './ack-sink';

export interface OpenLoopOptions {
  ratePerSecond: number;
  seconds: number;
  invoices: readonly DisputableInvoice[];
  /** POST /v1/disputes; resolves with the dispute id, rejects on anything but 201. */
  open(invoice: DisputableInvoice): Promise<string>;
  sink: AckSink;
  /** How long after the last arrival acknowledgements are still awaited. */
  graceMs: number;
  onProgress?(sent: number, total: number): void;
}

export interface OpenLoopResult {
  ratePerSecond: number;
  seconds: number;
  /** Opened per second over the arrival window, as sent. */
  offeredPerSecond: number;
  /** Acknowledged per second: between the first and the last acknowledgement. */
  achievedPerSecond: number;
  sent: number;
  acknowledged: number;
  /** Requests that failed (not 201). */
  errors: number;
  errorSamples: string[];
  /** Due → acknowledgement email at the sink, ms, of each acknowledged dispute. */
  latencies: number[];
  /** Due → 201, ms. */
  postLatencies: number[];
  /** Largest delay between when a request was due and when it was sent, ms. */
  maxLagMs: number;
  ids: string[];
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { ratePerSecond, seconds, sink } = options;
  const total = Math.min(options.invoices.length, Math.round(ratePerSecond * seconds));
  const intervalMs = 1000 / ratePerSecond;
  const start = Date.now() + 100;
  const ids: string[] = [];
  const latencies: number[] = [];
  const postLatencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let maxLagMs = 0;
  let lastSent = start;
  const flights: Promise<void>[] = [];

  const fly = async (invoice: DisputableInvoice, due: number): Promise<void> => {
    let id: string;
    try {
      id = await options.open(invoice);
    } catch (error) {
      errors += 1;
      if (errorSamples.length < 5) errorSamples.push(String(error).slice(0, 300));
      return;
    }
    postLatencies.push(Date.now() - due);
    ids.push(id);
    const windowEnd = start + total * intervalMs;
    try {
      const at = await sink.until(id, Math.max(0, windowEnd + options.graceMs - Date.now()));
      latencies.push(at - due);
    } catch {
      // Not acknowledged within the grace period: counted as missing.
    }
  };

  for (let i = 0; i < total; i += 1) {
    const due = start + i * intervalMs;
    const wait = due - Date.now();
    if (wait > 0) await delay(wait);
    lastSent = Date.now();
    maxLagMs = Math.max(maxLagMs, lastSent - due);
    flights.push(fly(options.invoices[i]!, due));
    if (i % Math.max(1, Math.round(ratePerSecond)) === 0) options.onProgress?.(i, total);
  }
  options.onProgress?.(total, total);
  await Promise.all(flights);

  const arrivals = ids.flatMap((id) => sink.at(id) ?? []).sort((a, b) => a - b);
  const span = (arrivals.at(-1)! - arrivals[0]!) / 1000;
  return {
    ratePerSecond,
    seconds,
    offeredPerSecond: total / Math.max(0.001, (lastSent - start) / 1000 + intervalMs / 1000),
    achievedPerSecond: arrivals.length > 1 && span > 0 ? (arrivals.length - 1) / span : 0,
    sent: total,
    acknowledged: latencies.length,
    errors,
    errorSamples,
    latencies,
    postLatencies,
    maxLagMs,
    ids,
  };
}

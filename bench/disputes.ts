// Disputes opened per second through the API, and the latency from the POST to `acknowledged` on
// the dispute's timeline. The real stack in-process as the integration tests run it (Temporal dev
// server, SQLite, SMTP mail catcher, the dispute worker, the API app); eight clients each open a
// dispute, wait until its acknowledgement is on the timeline, and open the next.
// Also the shared helpers of the dispute benchmarks: invoices to dispute, and batched waiting.
import { setTimeout as delay } from 'node:timers/promises';
import type { Role } from '../config';
import type { Policy } from '../domain/policy';
import type { Db } from '../store/db';
import { importSample } from '../test/support/disputes';
import { startStack, type Stack } from '../test/support/stack';
import { startDevServerEnv } from '../test/support/temporal';
import { disputableInvoices, type DisputableInvoice } from '../test/support/disputable-invoices';
import type { BenchContext, Benchmark } from './benchmark';

export { disputableInvoices, type DisputableInvoice };

const CONCURRENCY = 8;
const POLL_MS = 20;

export type Call = (
  method: 'GET' | 'POST',
  url: string,
  options?: { role?: Role | null; body?: unknown },
) => Promise<{ status: number; body: any }>;

export function expectStatus(
  what: string,
  response: { status: number; body: unknown },
  status: number,
): void {
  if (response.status === status) return;
  const hint = response.status === 429 ? ' (rate limit: use fewer requests per role)' : '';
  throw new Error(
    `${what}: HTTP ${response.status}${hint} ${JSON.stringify(response.body).slice(0, 500)}`,
  );
}

export async function importThroughApi(call: Call, bundle: unknown): Promise<void> {
  expectStatus(
    'import',
    await call('POST', '/v1/import', { role: 'operations', body: bundle }),
    200,
  );
}

/** Opens a `pricing_error` dispute on the invoice through POST /v1/disputes; returns its id. */
export async function openThroughApi(
  call: Call,
  invoice: DisputableInvoice,
  role: Role = 'agent',
): Promise<string> {
  const response = await call('POST', '/v1/disputes', {
    role,
    body: {
      customerId: invoice.customerId,
      invoiceId: invoice.id,
      reason: 'pricing_error',
      description: `SRV-1U billed above the contract price on ${invoice.id}`,
      contact: { name: 'Dana Lee', email: 'dana@example.com' },
    },
  });
  expectStatus(`open ${invoice.id}`, response, 201);
  return response.body.id as string;
}

/** Runs `fn` over `items`, at most `concurrency` at a time, in order of the items. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

export interface Watcher {
  /** Resolves with performance.now() of the first poll that found the id. */
  until(id: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Waits for many disputes with one query per tick: `find` gets every id still awaited and returns
 * those that have arrived. Cheaper and fairer than a poll loop per dispute.
 */
export function watchDisputes(
  what: string,
  find: (ids: string[]) => Promise<string[]>,
  { intervalMs = POLL_MS, timeoutMs = 120_000 } = {},
): Watcher {
  const pending = new Map<
    string,
    { since: number; resolve: (at: number) => void; reject: (error: Error) => void }
  >();
  let stopped = false;
  const loop = (async (): Promise<void> => {
    while (!stopped) {
      await delay(intervalMs);
      if (pending.size === 0) continue;
      let found: string[];
      try {
        found = await find([...pending.keys()]);
      } catch (error) {
        for (const waiter of pending.values()) waiter.reject(error as Error);
        pending.clear();
        continue;
      }
      const at = performance.now();
      for (const id of found) {
        pending.get(id)?.resolve(at);
        pending.delete(id);
      }
      for (const [id, waiter] of pending) {
        if (at - waiter.since < timeoutMs) continue;
        waiter.reject(new Error(`dispute ${id}: no ${what} after ${timeoutMs} ms`));
        pending.delete(id);
      }
    }
  })();
  return {
    until: (id) =>
      new Promise((resolve, reject) =>
        pending.set(id, { since: performance.now(), resolve, reject }),
      ),
    async stop() {
      stopped = true;
      await loop;
      for (const [id, waiter] of pending) waiter.reject(new Error(`dispute ${id}: stopped`));
      pending.clear();
    },
  };
}

/** Disputes whose timeline has an event of `type`. */
export function timelineFinder(db: Db, type: string): (ids: string[]) => Promise<string[]> {
  return async (ids) =>
    (
      await db.disputeEvent.findMany({
        where: { type, disputeId: { in: ids } },
        select: { disputeId: true },
      })
    ).map((e) => e.disputeId);
}

/** Disputes whose read model (what GET returns) shows `phase`. */
export function phaseFinder(db: Db, phase: string): (ids: string[]) => Promise<string[]> {
  return async (ids) =>
    (await db.dispute.findMany({ where: { id: { in: ids }, phase }, select: { id: true } })).map(
      (d) => d.id,
    );
}

/** The in-process stack of the integration tests on SQLite, with the sample bundle imported. */
export async function startBenchStack(ctx: BenchContext, policy?: Policy): Promise<Stack> {
  ctx.progress('starting the Temporal dev server');
  const env = await startDevServerEnv();
  ctx.defer(() => env.teardown());
  ctx.progress('starting the stack (SQLite, mail catcher, worker, API)');
  const stack = await startStack(env, 'sqlite', policy);
  ctx.defer(() => stack.stop());
  await importSample(stack);
  return stack;
}

export const benchmark: Benchmark = {
  description: `disputes opened through the API, ${CONCURRENCY} clients, to \`acknowledged\` on the timeline (in-process stack on SQLite)`,
  async run(ctx) {
    const count = ctx.quick ? 40 : 200;
    const stack = await startBenchStack(ctx);
    const call: Call = (method, url, options) => stack.call(method, url, options);
    const { bundle, invoices } = disputableInvoices('B', CONCURRENCY + count);
    ctx.progress(`importing ${invoices.length} invoices to dispute`);
    await importThroughApi(call, bundle);
    const acknowledged = watchDisputes(
      'acknowledged event',
      timelineFinder(stack.database.db, 'acknowledged'),
    );
    ctx.defer(() => acknowledged.stop());

    const postMs: number[] = [];
    const ackMs: number[] = [];
    const opened: string[] = [];
    const openOne = async (invoice: DisputableInvoice, measured: boolean): Promise<void> => {
      const t0 = performance.now();
      const id = await openThroughApi(call, invoice);
      const posted = performance.now();
      opened.push(id);
      const seen = await acknowledged.until(id);
      if (!measured) return;
      postMs.push(posted - t0);
      ackMs.push(seen - t0);
      ctx.progress('open → acknowledged', ackMs.length, count);
    };

    // One dispute per client first, so the worker's workflow bundle and caches are warm.
    ctx.progress('warm-up');
    await inParallel(invoices.slice(0, CONCURRENCY), CONCURRENCY, (i) => openOne(i, false));
    const started = performance.now();
    await inParallel(invoices.slice(CONCURRENCY), CONCURRENCY, (i) => openOne(i, true));
    const wallMs = performance.now() - started;

    // Untimed: investigations still running would be cut off by the teardown.
    const investigated = watchDisputes(
      'awaiting_decision',
      phaseFinder(stack.database.db, 'awaiting_decision'),
      { intervalMs: 250 },
    );
    ctx.defer(() => investigated.stop());
    let settled = 0;
    await Promise.all(
      opened.map(async (id) => {
        await investigated.until(id);
        settled += 1;
        ctx.progress('letting the investigations finish', settled, opened.length);
      }),
    );

    const details = {
      disputes: count,
      concurrency: CONCURRENCY,
      wallMs: Math.round(wallMs),
      pollIntervalMs: POLL_MS,
      stack: 'in-process: Temporal dev server, SQLite, mail catcher, one worker, API via inject',
      scenario: 'pricing_error on a one-line invoice; each client waits for the acknowledgement',
    };
    return [
      {
        name: `POST /v1/disputes → acknowledged (${CONCURRENCY} clients)`,
        unit: 'ms',
        samples: ackMs,
        throughput: { perSecond: (count * 1000) / wallMs, unit: 'disputes/s' },
        details,
      },
      { name: 'of which POST /v1/disputes → 201', unit: 'ms', samples: postMs },
    ];
  },
};

// Delivers webhook deliveries from the outbox: a loop in the worker process, not a workflow. The
// queue, the retry schedule and the leases live in the database, so at-least-once delivery
// survives any crash: a lapsed lease is taken over, and a receiver deduplicates by event id.
// Each stream (endpoint, dispute) is sent in event order; streams run side by side.
import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from '../store/db';
import {
  claimDelivery,
  dueHeads,
  nextInStream,
  settleAttempt,
  type ClaimedDelivery,
} from '../store/webhooks/deliveries';
import { signatureHeader, SIGNATURE_HEADER } from '../store/webhooks/signature';

export interface DispatcherLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface DispatcherOptions {
  db: Db;
  clock?: () => Date;
  log: DispatcherLog;
  /** How often the queue is read when the last look found nothing. Default 100 ms. */
  pollMs?: number;
  /** Streams delivered at the same time. Default 16. */
  concurrency?: number;
  /** A receiver must answer within this. Default 10 s. */
  timeoutMs?: number;
  /** How long an attempt holds its delivery before another dispatcher may take it over. */
  leaseMs?: number;
  /** Where the receivers are reached; a test seam for nothing but the transport. */
  fetch?: typeof fetch;
}

export interface WebhookDispatcher {
  /** Resolves once the loop has stopped and in-flight attempts are settled. */
  stop(): Promise<void>;
}

const ERROR_TEXT_MAX = 500;

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const detail = cause?.code ?? cause?.message;
  return (detail ? `${text} (${detail})` : text).slice(0, ERROR_TEXT_MAX);
}

export function startWebhookDispatcher(options: DispatcherOptions): WebhookDispatcher {
  const { db, log } = options;
  const clock = options.clock ?? ((): Date => new Date());
  const pollMs = options.pollMs ?? 100;
  const concurrency = options.concurrency ?? 16;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const leaseMs = options.leaseMs ?? timeoutMs + 20_000;
  const send = options.fetch ?? fetch;
  const stopping = new AbortController();
  const active = new Set<string>();

  /** One attempt: POST the signed event, then log it and move the delivery on. */
  async function attempt(delivery: ClaimedDelivery): Promise<boolean> {
    const body = JSON.stringify({
      id: delivery.event.id,
      type: delivery.event.type,
      createdAt: delivery.event.createdAt.toISOString(),
      data: JSON.parse(delivery.event.data) as unknown,
    });
    const started = clock();
    const t0 = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await send(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Settle-Webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(
            delivery.secret,
            body,
            Math.floor(started.getTime() / 1000),
          ),
          'Settle-Event-Id': delivery.event.id,
          'Settle-Event-Type': delivery.event.type,
          'Settle-Delivery-Id': delivery.id,
          'Settle-Delivery-Attempt': String(delivery.attempt),
        },
        body,
        redirect: 'manual',
        // Not cut short by stop(): an attempt in flight finishes (or times out) and is logged.
        signal: AbortSignal.timeout(timeoutMs),
      });
      statusCode = response.status;
      // The body is drained, not kept: a receiver's answer is no place for anything we log.
      await response.arrayBuffer().catch(() => undefined);
      if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
    } catch (caught) {
      error = describe(caught);
    }
    const delivered = error === null;
    const status = await settleAttempt(
      db,
      delivery,
      { at: started, statusCode, latencyMs: Math.round(performance.now() - t0), error, delivered },
      Math.random(),
    );
    const fields = {
      deliveryId: delivery.id,
      eventId: delivery.event.id,
      type: delivery.event.type,
      attempt: delivery.attempt,
      statusCode,
      status,
    };
    if (status === 'failed') log.error('webhook delivery given up', { ...fields, error });
    else if (!delivered) log.warn('webhook delivery failed; will retry', { ...fields, error });
    return delivered;
  }

  /** Delivers a stream's due head, then its successors while they are due and succeed. */
  async function drain(firstId: string, stream: string): Promise<void> {
    let id: string | null = firstId;
    while (id !== null && !stopping.signal.aborted) {
      const now = clock().getTime();
      const claimed = await claimDelivery(db, id, now, now + leaseMs);
      if (!claimed) return;
      if (!(await attempt(claimed))) return;
      id = await nextInStream(db, stream, clock().getTime());
    }
  }

  // One listener for the whole run (not one per wait): resolves when stop() is called.
  const stopped = new Promise<void>((resolve) =>
    stopping.signal.addEventListener('abort', () => resolve(), { once: true }),
  );

  async function loop(): Promise<void> {
    const running = new Set<Promise<void>>();
    while (!stopping.signal.aborted) {
      let started = 0;
      try {
        const free = concurrency - running.size;
        const heads = free > 0 ? await dueHeads(db, clock().getTime(), free * 4) : [];
        for (const row of heads) {
          if (running.size >= concurrency) break;
          if (active.has(row.stream)) continue;
          active.add(row.stream);
          started += 1;
          const task = drain(row.id, row.stream)
            .catch((error: unknown) =>
              log.error('webhook stream failed', { stream: row.stream, error: describe(error) }),
            )
            .finally(() => {
              active.delete(row.stream);
              running.delete(task);
            });
          running.add(task);
        }
      } catch (error) {
        log.error('webhook queue unreadable; retrying', { error: describe(error) });
      }
      if (started === 0 || running.size >= concurrency) {
        const wait = running.size >= concurrency ? Promise.race(running) : Promise.resolve();
        await Promise.race([Promise.all([wait, delay(pollMs)]), stopped]);
      }
    }
    await Promise.allSettled(running);
  }

  const done = loop();
  log.info('webhook dispatcher started', { pollMs, concurrency });
  return {
    async stop() {
      stopping.abort();
      await done;
    },
  };
}

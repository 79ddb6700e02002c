// Webhook delivery latency: 1,000 disputes' events (opened, every phase change to monitoring, the
// collection hold starting, narrowing and ending) written by the real store code, eight writers at
// a time as workers would, while the dispatcher delivers them to a receiver on loopback that checks
// every signature. Latency runs from the event's commit timestamp to its arrival at the receiver.
import { createActivities, type ActivityDeps } from '../activities';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhooks';
import { importBundle } from '../store/billing/import';
import { recordDispute } from '../store/disputes/open';
import { createEndpoint } from '../store/webhooks/endpoints';
import { createTestDatabase } from '../test/support/database';
import { sampleBundle } from '../test/support/sample-data';
import { startWebhookReceiver } from '../test/support/webhook-receiver';
import { jsonLog } from '../workers/json-log';
import { startWebhookDispatcher } from '../workers/webhook-dispatcher';
import { throughputOf, type Benchmark } from './benchmark';
import { disputableInvoices, inParallel } from './disputes';

const WRITERS = 8;
const PHASES = [
  'investigating',
  'awaiting_decision',
  'awaiting_customer',
  'correcting',
  'monitoring',
] as const;

export const benchmark: Benchmark = {
  description:
    'webhook events of 1,000 disputes (store code, 8 writers) delivered to a signature-checking receiver: commit → delivery latency (SQLite; BENCH_DATABASE=postgresql for PostgreSQL)',
  async run(ctx) {
    const count = ctx.quick ? 100 : 1000;
    const kind = process.env.BENCH_DATABASE === 'postgresql' ? 'postgresql' : 'sqlite';
    const database = await createTestDatabase(kind);
    ctx.defer(() => database.drop());
    const { db } = database;
    ctx.progress('importing invoices');
    await importBundle(db, sampleBundle());
    const { bundle, invoices } = disputableInvoices('W', count);
    await importBundle(db, { payments: [], ...bundle });

    const receiver = await startWebhookReceiver();
    ctx.defer(() => receiver.stop());
    const endpoint = await createEndpoint(
      db,
      { url: receiver.url, events: WEBHOOK_EVENT_TYPES, description: 'bench' },
      'bench',
      new Date(),
    );
    receiver.setSecret(endpoint.secret);
    const dispatcher = startWebhookDispatcher({
      db,
      log: jsonLog('webhooks', 'warn', process.stderr),
    });
    ctx.defer(() => dispatcher.stop());

    const activities = createActivities({
      db,
      clock: () => new Date(),
      mail: { from: 'bench@settle.test', domain: 'settle.test' },
    } as ActivityDeps);
    const started = performance.now();
    let written = 0;
    await inParallel(invoices, WRITERS, async (invoice) => {
      const opened = await recordDispute(
        db,
        {
          actor: 'bench',
          internal: false,
          body: {
            customerId: invoice.customerId,
            invoiceId: invoice.id,
            reason: 'pricing_error',
            description: 'bench',
            contact: { name: 'Dana Lee', email: 'dana@example.com' },
          },
        },
        new Date(),
      );
      for (const [n, phase] of PHASES.entries()) {
        const decided = phase !== 'investigating';
        await activities.projectDispute({
          disputeId: opened.id,
          phase,
          verdict: decided ? 'overcharged' : null,
          resolution: null,
          totalDelta: decided ? { amount: '160.50', currency: 'USD' } : null,
          escalationLevel: 0,
          assignee: null,
          deadline: null,
          offer: null,
          rootCause: null,
          closedAt: null,
          version: n + 1,
        });
      }
      written += 1;
      ctx.progress('writing disputes’ events (dispatcher delivering)', written, count);
    });
    const total = await db.webhookEvent.count();
    while (receiver.events.length < total) {
      ctx.progress('waiting for the last deliveries', receiver.events.length, total);
      await new Promise((r) => setTimeout(r, 100));
    }
    const elapsed = performance.now() - started;
    const latencies = receiver.events.map((e) => e.receivedAt - Date.parse(e.createdAt));
    return [
      {
        name: `commit → delivery, ${count.toLocaleString('en-US')} disputes`,
        unit: 'ms',
        samples: latencies,
        throughput: throughputOf(total, [elapsed], 'events/s'),
        target: { stat: 'p99', max: 1000 },
        details: {
          disputes: count,
          events: total,
          duplicatesReceived: receiver.accepted - receiver.events.length,
          refusedSignatures: receiver.refused,
        },
      },
    ];
  },
};

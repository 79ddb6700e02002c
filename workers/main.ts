// The worker process: runs dispute workflows and their activities on the `disputes` task queue,
// and keeps the proactive scan's schedule up to date.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { loadConfigOrExit, loadPolicy } from '../config';
import { createPrisma } from '../store/db';
import { createDisputeWorker } from './create-worker';
import { startInboundMail, type InboundMail } from './inbound-mail';
import { jsonLog } from './json-log';
import { startIntakeReconciler } from './intake-reconciler';
import { startOutboxRelay } from './outbox-relay';
import { upsertScanSchedule } from './scan-schedule';
import { startWebhookDispatcher } from './webhook-dispatcher';

// Until the worker runs (and handles signals itself by draining), a stop signal has nothing to
// wait for: leave at once instead of retrying a Temporal server that is going away too.
let running = false;
const stopWhileStarting = (): void => {
  if (!running) process.exit(0);
};
process.once('SIGINT', stopWhileStarting);
process.once('SIGTERM', stopWhileStarting);

const config = loadConfigOrExit();
const policy = await loadPolicy(config.SETTLE_POLICY_FILE);
const db = await createPrisma(config.DATABASE_URL);
// Socket timeouts below the activity's one-minute limit, so a hung send never overlaps its retry.
const mailer = nodemailer.createTransport({
  url: config.SMTP_URL,
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
});
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
// Beside the Temporal worker: webhook deliveries and the relay read their queues from the database.
const webhooks = startWebhookDispatcher({ db, log: jsonLog('webhooks', config.LOG_LEVEL) });
const relay = startOutboxRelay({
  db,
  mailer,
  from: config.MAIL_FROM,
  log: jsonLog('outbox-relay', config.LOG_LEVEL),
});
let inbound: InboundMail | null = null;
let reconciler: { stop(): Promise<void> } | null = null;
try {
  if (config.INBOUND_SMTP_PORT !== undefined) {
    inbound = await startInboundMail({
      db,
      host: config.INBOUND_SMTP_HOST,
      port: config.INBOUND_SMTP_PORT,
      mailDomain: config.MAIL_DOMAIN,
      contacts: policy.contacts,
      log: jsonLog('inbound-mail', config.LOG_LEVEL),
    });
  }
  const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  await upsertScanSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, policy });
  // Disputes recorded but never started (or ended before acknowledging) are repaired each minute.
  reconciler = startIntakeReconciler({
    db,
    temporal: client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    policy,
    log: jsonLog('intake-reconciler', config.LOG_LEVEL),
  });
  const worker = await createDisputeWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    deps: {
      db,
      mailer,
      clock: () => new Date(),
      mail: { from: config.MAIL_FROM, domain: config.MAIL_DOMAIN },
      links: { keys: config.CUSTOMER_LINK_KEYS, publicUrl: config.PUBLIC_URL },
    },
  });
  // Resolves after SIGINT/SIGTERM once in-flight tasks are done.
  running = true;
  await worker.run();
} finally {
  await inbound?.stop();
  await Promise.all([webhooks.stop(), relay.stop(), reconciler?.stop()]);
  mailer.close();
  await clientConnection.close();
  await connection.close();
  await db.$disconnect();
}

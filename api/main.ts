// The API process.
import { Client, Connection } from '@temporalio/client';
import { loadConfig, loadPolicy } from '../config';
import { createPrisma } from '../store/db';
import { buildApp } from './app';

const config = loadConfig();
const db = await createPrisma(config.DATABASE_URL);
const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
const app = await buildApp({
  config,
  db,
  temporal,
  policy: await loadPolicy(config.SETTLE_POLICY_FILE),
});

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await connection.close();
  await db.$disconnect();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, (s) => void shutdown(s));
}
await app.listen({ port: config.PORT, host: config.HOST });

// The API process.
import { Client, Connection } from '@temporalio/client';
import { actorOf, loadConfigOrExit, loadPolicy } from '../config';
import { createPrisma } from '../store/db';
import { buildApp } from './app';

const config = loadConfigOrExit();
const db = await createPrisma(config.DATABASE_URL);
const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
const app = await buildApp({
  config,
  db,
  temporal,
  policy: await loadPolicy(config.SETTLE_POLICY_FILE),
});

const unnamed = config.SETTLE_API_KEYS.filter((key) => !key.named).map(actorOf);
if (unnamed.length) {
  app.log.warn(
    { actors: unnamed },
    'API keys without a name act under a name derived from their secret; name them (role:name:secret)',
  );
}

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

// `npm run import -- FILE.json`: the same import as POST /v1/import, straight into DATABASE_URL.
import { readFile } from 'node:fs/promises';
import { DomainError } from '../domain/errors';
import { importBundle } from '../store/billing/import';
import { loadConfig } from '../config';
import { createPrisma } from '../store/db';
import { migrateDatabase } from '../store/migrate';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run import -- FILE.json');
  process.exit(2);
}
const config = loadConfig();
await migrateDatabase(config.DATABASE_URL);
const db = await createPrisma(config.DATABASE_URL);
try {
  const started = Date.now();
  const counts = await importBundle(db, JSON.parse(await readFile(file, 'utf8')));
  console.log(`imported in ${Date.now() - started} ms:`, counts);
} catch (error) {
  if (error instanceof DomainError) {
    console.error(`${error.message}\n${JSON.stringify(error.details, null, 2)}`);
    process.exitCode = 1;
  } else throw error;
} finally {
  await db.$disconnect();
}

// `npm run migrate`: applies pending migrations to DATABASE_URL (SQLite or PostgreSQL).
import { loadConfig } from '../config';
import { migrateDatabase } from '../store/migrate';

const { DATABASE_URL } = loadConfig();
await migrateDatabase(DATABASE_URL);
console.log('migrations applied');

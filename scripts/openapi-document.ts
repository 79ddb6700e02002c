// The OpenAPI document exactly as the API serves it, produced from the route declarations without a
// database, a Temporal server or a listening port (for the console's typed client and the tests).
import { Client, Connection } from '@temporalio/client';
import { buildApp } from '../api/app';
import { DEV_API_KEYS, loadConfig } from '../config';
import { DEFAULT_POLICY } from '../domain/policy';
import type { Db } from '../store/db';

export async function generateOpenApiDocument(): Promise<Record<string, unknown>> {
  // Building the app touches neither the database nor Temporal: the connection is lazy and unused.
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  const app = await buildApp({
    config: loadConfig({ SETTLE_API_KEYS: DEV_API_KEYS, LOG_LEVEL: 'silent' }),
    db: {} as Db,
    temporal: new Client({ connection }),
    policy: DEFAULT_POLICY,
  });
  try {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    if (response.statusCode !== 200) {
      throw new Error(`GET /openapi.json answered ${response.statusCode}: ${response.body}`);
    }
    return response.json<Record<string, unknown>>();
  } finally {
    await app.close();
    await connection.close();
  }
}

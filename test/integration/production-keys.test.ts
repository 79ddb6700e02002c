// No default keys outside development: every entry point started with NODE_ENV=production and no
// SETTLE_API_KEYS, or no CUSTOMER_LINK_KEYS, exits with a clear error before it connects to anything.
import { describe, expect, it } from 'vitest';
import { spawnTs } from '../support/child-process';

// Addresses nothing listens on: an entry that got past its configuration would hang or fail there.
const UNREACHABLE = {
  DATABASE_URL: 'postgresql://nobody:nothing@127.0.0.1:1/none',
  TEMPORAL_ADDRESS: '127.0.0.1:1',
  SMTP_URL: 'smtp://127.0.0.1:1',
};

describe.each([
  ['the API', 'api/main.ts'],
  ['the worker', 'workers/main.ts'],
  ['npm start', 'scripts/start.ts'],
])('%s with NODE_ENV=production', (_name, entry) => {
  it('refuses to start without SETTLE_API_KEYS, saying why, and exits 1', async () => {
    const child = spawnTs(entry, {
      ...UNREACHABLE,
      NODE_ENV: 'production',
      SETTLE_API_KEYS: undefined,
    });
    const { code } = await child.exited;
    expect(code).toBe(1);
    const said = child.stderr() + child.stdout();
    expect(said).toContain('SETTLE_API_KEYS: required when NODE_ENV=production');
    expect(said).not.toMatch(/ops-secret|agent-secret|mgr-secret|aud-secret/);
    expect(said).not.toMatch(/^\s+at /m);
  });

  it('refuses to start without CUSTOMER_LINK_KEYS, whose development key anyone can read', async () => {
    const child = spawnTs(entry, {
      ...UNREACHABLE,
      NODE_ENV: 'production',
      SETTLE_API_KEYS: 'operations:ops-bot:a-production-secret',
      CUSTOMER_LINK_KEYS: undefined,
    });
    const { code } = await child.exited;
    expect(code).toBe(1);
    const said = child.stderr() + child.stdout();
    expect(said).toContain('CUSTOMER_LINK_KEYS: required when NODE_ENV=production');
    expect(said).not.toContain('SETTLE_API_KEYS');
    expect(said).not.toMatch(/development-only-customer-link-secret|a-production-secret/);
    expect(said).not.toMatch(/^\s+at /m);
  });
});

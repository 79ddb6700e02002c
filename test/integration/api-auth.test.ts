// Who may call what (API.md's roles), and the limits every request passes: keys, rate limit,
// body size, request ids in responses and in the JSON logs.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { DEV_API_KEYS, loadConfig, ROLES, type Role } from '../../config';
import { DEFAULT_POLICY } from '../../domain/policy';
import { SECRETS, startStack, type Stack } from '../support/stack';
import { startDevServerEnv } from '../support/temporal';

const ALL: readonly Role[] = ROLES;
const WORKERS: readonly Role[] = ['agent', 'manager'];
const ID = 'D-0000000000';

/** API.md's table of roles, one row per endpoint (path parameters filled in). */
const CONTRACT: { method: 'GET' | 'POST'; route: string; url: string; roles: readonly Role[] }[] = [
  { method: 'POST', route: '/v1/import', url: '/v1/import', roles: ['operations', 'manager'] },
  { method: 'POST', route: '/v1/invoices', url: '/v1/invoices', roles: ['operations'] },
  {
    method: 'POST',
    route: '/v1/disputes',
    url: '/v1/disputes',
    roles: ['operations', 'agent', 'manager'],
  },
  { method: 'GET', route: '/v1/disputes', url: '/v1/disputes', roles: ALL },
  { method: 'GET', route: '/v1/disputes/:id', url: `/v1/disputes/${ID}`, roles: ALL },
  ...['assign', 'notes', 'findings', 'decision', 'customer-response', 'escalate'].map((a) => ({
    method: 'POST' as const,
    route: `/v1/disputes/:id/${a}`,
    url: `/v1/disputes/${ID}/${a}`,
    roles: WORKERS,
  })),
  ...['approval', 'mediation-outcome', 'reopen'].map((a) => ({
    method: 'POST' as const,
    route: `/v1/disputes/:id/${a}`,
    url: `/v1/disputes/${ID}/${a}`,
    roles: ['manager'] as const,
  })),
  {
    method: 'POST',
    route: '/v1/disputes/:id/withdraw',
    url: `/v1/disputes/${ID}/withdraw`,
    roles: ['operations', 'agent', 'manager'],
  },
  { method: 'GET', route: '/v1/reports/summary', url: '/v1/reports/summary', roles: ALL },
  {
    method: 'GET',
    route: '/v1/customers/:id/ledger',
    url: '/v1/customers/C-NONE/ledger',
    roles: ALL,
  },
];
const PUBLIC = ['/healthz', '/readyz', '/openapi.json', '/docs'];

let env: TestWorkflowEnvironment;
let stack: Stack;
const routes: { method: string; url: string }[] = [];

beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startStack(env, 'sqlite');
  const document = (await stack.call('GET', '/openapi.json', { role: null })).body;
  for (const [path, item] of Object.entries<Record<string, unknown>>(document.paths)) {
    for (const method of Object.keys(item))
      routes.push({ method: method.toUpperCase(), url: path.replace(/\{(\w+)\}/g, ':$1') });
  }
});
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
});

async function appWith(
  vars: Record<string, string>,
  logStream?: { write(line: string): void },
): Promise<FastifyInstance> {
  return buildApp({
    config: loadConfig({
      SETTLE_API_KEYS: DEV_API_KEYS,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      LOG_LEVEL: 'silent',
      ...vars,
    }),
    db: stack.database.db,
    temporal: stack.env.client,
    policy: DEFAULT_POLICY,
    ...(logStream ? { logStream } : {}),
  });
}

describe('roles', () => {
  it('lists every authenticated route of the server in the contract table', () => {
    const known = new Set(CONTRACT.map((c) => `${c.method} ${c.route}`));
    const served = routes.filter((r) => !PUBLIC.includes(r.url) && !r.url.startsWith('/docs/'));
    expect(served.map((r) => `${r.method} ${r.url}`).filter((r) => !known.has(r))).toEqual([]);
  });

  it('answers 403 to each role the contract leaves out, and lets the others through', async () => {
    let requests = 0;
    for (const endpoint of CONTRACT) {
      if (!routes.some((r) => r.method === endpoint.method && r.url === endpoint.route)) continue;
      for (const role of ROLES) {
        const got = await stack.call(endpoint.method, endpoint.url, {
          role,
          ...(endpoint.method === 'POST' ? { body: {} } : {}),
        });
        requests += 1;
        if (endpoint.roles.includes(role)) {
          // Allowed: the request reaches validation or the lookup (400/404), never 401/403.
          expect([401, 403], `${endpoint.method} ${endpoint.url} as ${role}`).not.toContain(
            got.status,
          );
          expect(got.status, `${endpoint.method} ${endpoint.url} as ${role}`).toBeLessThan(500);
        } else {
          expect({ endpoint: endpoint.url, role, status: got.status }).toEqual({
            endpoint: endpoint.url,
            role,
            status: 403,
          });
          expect(got.body.error).toMatchObject({
            code: 'forbidden',
            details: { allowedRoles: endpoint.roles },
          });
        }
      }
    }
    expect(requests).toBeGreaterThanOrEqual(17 * ROLES.length);
  });

  it('answers 401 without a key, with an unknown key, or with another scheme', async () => {
    for (const endpoint of CONTRACT) {
      for (const authorization of [
        undefined,
        'Bearer not-a-key',
        'Basic b3BzLXNlY3JldA==',
        'Bearer',
        `bearer ${SECRETS.agent}x`,
      ]) {
        const got = await stack.call(endpoint.method, endpoint.url, {
          role: null,
          ...(authorization ? { headers: { authorization } } : {}),
          ...(endpoint.method === 'POST' ? { body: {} } : {}),
        });
        expect({ url: endpoint.url, authorization, status: got.status }).toEqual({
          url: endpoint.url,
          authorization,
          status: 401,
        });
        expect(got.body.error.code).toBe('unauthorized');
        expect(got.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    }
  });

  it('accepts the scheme in any case', async () => {
    const got = await stack.call('GET', '/v1/disputes', {
      role: null,
      headers: { authorization: `bEaReR ${SECRETS.auditor}` },
    });
    expect(got.status).toBe(200);
  });

  it('serves health, the document and the docs page without a key', async () => {
    for (const url of PUBLIC) {
      const got = await stack.app.inject({ method: 'GET', url });
      expect({ url, status: got.statusCode }).toEqual({ url, status: 200 });
    }
  });
});

describe('limits', () => {
  it('rate-limits each key with 429 and Retry-After, leaving other keys and health alone', async () => {
    const app = await appWith({ RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const call = (role: Role) =>
        app.inject({
          method: 'GET',
          url: '/v1/disputes',
          headers: { authorization: `Bearer ${SECRETS[role]}` },
        });
      for (let i = 0; i < 5; i += 1) {
        const ok = await call('agent');
        expect(ok.statusCode).toBe(200);
        expect(ok.headers['x-ratelimit-remaining']).toBe(String(4 - i));
      }
      const limited = await call('agent');
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(12);
      expect(limited.json().error).toMatchObject({
        code: 'rate_limited',
        message: expect.any(String),
      });
      expect((await call('auditor')).statusCode).toBe(200);
      for (let i = 0; i < 10; i += 1) {
        expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      }
    } finally {
      await app.close();
    }
  });

  it('answers 413 with the error body past the body limit, with a larger limit for imports', async () => {
    const app = await appWith({ BODY_LIMIT_BYTES: '65536', IMPORT_BODY_LIMIT_BYTES: '1048576' });
    try {
      const headers = {
        authorization: `Bearer ${SECRETS.manager}`,
        'content-type': 'application/json',
      };
      const big = JSON.stringify({ description: 'x'.repeat(100_000) });
      const open = await app.inject({ method: 'POST', url: '/v1/disputes', headers, payload: big });
      expect(open.statusCode).toBe(413);
      expect(open.json().error.code).toBe('payload_too_large');
      const imported = await app.inject({
        method: 'POST',
        url: '/v1/import',
        headers,
        payload: JSON.stringify({ customers: [], note: 'x'.repeat(100_000) }),
      });
      expect(imported.statusCode).toBe(400);
      const huge = await app.inject({
        method: 'POST',
        url: '/v1/import',
        headers,
        payload: JSON.stringify({ note: 'x'.repeat(2_000_000) }),
      });
      expect(huge.statusCode).toBe(413);
    } finally {
      await app.close();
    }
  });

  it('answers with the request id, keeps a well-formed one from the client, and logs it as JSON', async () => {
    const lines: string[] = [];
    const app = await appWith({ LOG_LEVEL: 'info' }, { write: (line) => void lines.push(line) });
    try {
      const headers = { authorization: `Bearer ${SECRETS.agent}` };
      const given = await app.inject({
        method: 'GET',
        url: '/v1/disputes',
        headers: { ...headers, 'x-request-id': 'client-req-42' },
      });
      expect(given.headers['x-request-id']).toBe('client-req-42');
      const fresh = await app.inject({
        method: 'GET',
        url: '/v1/disputes',
        headers: { ...headers, 'x-request-id': 'bad id\twith spaces' },
      });
      expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const failed = await app.inject({ method: 'GET', url: '/v1/disputes/nope', headers });
      expect(failed.statusCode).toBe(400);
      expect(failed.headers['x-request-id']).toBeDefined();
      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const ofGiven = entries.filter((e) => e.reqId === 'client-req-42');
      expect(ofGiven.map((e) => e.msg)).toEqual(
        expect.arrayContaining(['incoming request', 'request completed']),
      );
      expect(ofGiven.find((e) => e.msg === 'request completed')).toMatchObject({
        level: 30,
        res: { statusCode: 200 },
      });
      // No secret ever reaches the log.
      expect(lines.join('\n')).not.toContain(SECRETS.agent);
    } finally {
      await app.close();
    }
  });
});

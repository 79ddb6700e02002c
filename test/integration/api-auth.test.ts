// Who may call what (API.md's roles), and the limits every request passes: keys, rate limit,
// body size, request ids in responses and in the JSON logs.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { derivedKeyName, DEV_API_KEYS, loadConfig, ROLES, type Role } from '../../config';
import { DEFAULT_POLICY } from '../../domain/policy';
import { SECRETS, startStack, type Stack } from '../support/stack';
import { customerBundle, disputeBody } from '../support/api-fixtures';
import { startDevServerEnv } from '../support/temporal';

const ALL: readonly Role[] = ROLES;
const WORKERS: readonly Role[] = ['agent', 'manager'];
const ID = 'D-0000000000';

/** API.md's table of roles, one row per endpoint (path parameters filled in). */
const CONTRACT: {
  method: 'GET' | 'POST' | 'DELETE';
  route: string;
  url: string;
  roles: readonly Role[];
}[] = [
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
/** Endpoints beyond API.md's table (console look-ups, webhooks, customer messages, money issues). */
const READERS: readonly Role[] = ['manager', 'auditor'];
const EXTENSIONS: typeof CONTRACT = [
  ['GET', '/v1/invoices/:id', '/v1/invoices/INV-NONE', ALL],
  ['GET', '/v1/customers', '/v1/customers', ALL],
  ['GET', '/v1/customers/:id', '/v1/customers/C-NONE', ALL],
  ['GET', '/v1/customers/:id/invoices', '/v1/customers/C-NONE/invoices', ALL],
  ['GET', '/v1/disputes/:id/emails', `/v1/disputes/${ID}/emails`, ALL],
  ['POST', '/v1/disputes/:id/reverse', `/v1/disputes/${ID}/reverse`, ['manager']],
  [
    'POST',
    '/v1/disputes/:id/emails/:messageId/resend',
    `/v1/disputes/${ID}/emails/M-NONE/resend`,
    ['manager'],
  ],
  ['GET', '/v1/reports/series', '/v1/reports/series', ALL],
  ['GET', '/v1/me', '/v1/me', ALL],
  ['POST', '/v1/webhooks', '/v1/webhooks', ['manager']],
  ['GET', '/v1/webhooks', '/v1/webhooks', READERS],
  ['GET', '/v1/webhooks/:id', '/v1/webhooks/W-NONE', READERS],
  ['DELETE', '/v1/webhooks/:id', '/v1/webhooks/W-NONE', ['manager']],
  ['GET', '/v1/webhooks/:id/deliveries', '/v1/webhooks/W-NONE/deliveries', READERS],
  [
    'POST',
    '/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    '/v1/webhooks/W-NONE/deliveries/X-NONE/redeliver',
    ['manager'],
  ],
  ['POST', '/v1/webhooks/:id/redeliver', '/v1/webhooks/W-NONE/redeliver', ['manager']],
  ['GET', '/v1/customer-messages', '/v1/customer-messages', ALL],
  ['POST', '/v1/customer-messages/:id/file', '/v1/customer-messages/M-NONE/file', WORKERS],
].map(([method, route, url, roles]) => ({
  method: method as 'GET' | 'POST' | 'DELETE',
  route: route as string,
  url: url as string,
  roles: roles as readonly Role[],
}));
CONTRACT.push(...EXTENSIONS);
const PUBLIC = ['/healthz', '/readyz', '/openapi.json', '/docs'];
/** Served without a key too: the console's pages and assets, and the customer's response page. */
const UNKEYED_ROUTES = [
  ...PUBLIC,
  '/',
  '/disputes/new',
  '/disputes/:id',
  '/customers/:id',
  '/import',
  '/reports',
  '/assets/:file',
  '/respond/:token',
];

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
    const served = routes.filter(
      (r) => !UNKEYED_ROUTES.includes(r.url) && !r.url.startsWith('/docs/'),
    );
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
    let client = 0;
    for (const endpoint of CONTRACT) {
      for (const authorization of [
        undefined,
        'Bearer not-a-key',
        'Basic b3BzLXNlY3JldA==',
        'Bearer',
        `bearer ${SECRETS.agent}x`,
      ]) {
        // A client address of its own for each: failed authentications are throttled per address.
        client += 1;
        const got = await stack.app.inject({
          method: endpoint.method,
          url: endpoint.url,
          remoteAddress: `10.1.${client >> 8}.${client & 255}`,
          headers: authorization ? { authorization } : {},
          ...(endpoint.method === 'POST' ? { payload: {} } : {}),
        });
        expect({ url: endpoint.url, authorization, status: got.statusCode }).toEqual({
          url: endpoint.url,
          authorization,
          status: 401,
        });
        expect(got.json().error.code).toBe('unauthorized');
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

describe('keys', () => {
  const OPS = 'Wq4Lz8Kd2Nc6';
  const DANA = 'Zq8xW2vB7nM4';
  const UNNAMED = 'Kp3Lm9Qr5Tt1';

  it('records each key as role:name wherever it acts, and no piece of any secret', async () => {
    const lines: string[] = [];
    const app = await appWith(
      {
        SETTLE_API_KEYS: `operations:ops-bot:${OPS},agent:dana:${DANA},manager:${UNNAMED}`,
        LOG_LEVEL: 'info',
      },
      { write: (line) => void lines.push(line) },
    );
    try {
      const call = async (secret: string, method: 'GET' | 'POST', url: string, body?: object) => {
        const response = await app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${secret}` },
          ...(body ? { payload: body } : {}),
        });
        return { status: response.statusCode, body: response.json() };
      };
      const bundle = customerBundle('C-KEYS', [{ id: 'INV-KEYS-1', billed: '150.00' }]);
      expect((await call(OPS, 'POST', '/v1/import', bundle)).status).toBe(200);
      const opened = await call(DANA, 'POST', '/v1/disputes', disputeBody('C-KEYS', 'INV-KEYS-1'));
      expect(opened.status).toBe(201);
      const id: string = opened.body.id;
      const assigned = await call(UNNAMED, 'POST', `/v1/disputes/${id}/assign`, {
        assignee: 'agent-7',
      });
      expect(assigned.status).toBe(200);
      const unnamed = `manager:${derivedKeyName(UNNAMED)}`;
      const actors = (assigned.body.timeline as { type: string; actor: string }[]).map(
        (e) => `${e.type} ${e.actor}`,
      );
      expect(actors).toEqual(expect.arrayContaining(['opened agent:dana', `assigned ${unnamed}`]));
      const mail = await stack.catcher.waitFor(
        (m) => m.subject.includes(id) && m.text.includes(unnamed),
        { timeoutMs: 30_000 },
      );

      const dispute = JSON.stringify((await call(DANA, 'GET', `/v1/disputes/${id}`)).body);
      const logged = lines.map((l) => JSON.parse(l) as { actor?: string });
      expect(new Set(logged.flatMap((l) => (l.actor ? [l.actor] : [])))).toEqual(
        new Set(['operations:ops-bot', 'agent:dana', unnamed]),
      );
      const seen = [dispute, lines.join('\n'), mail.raw].join('\n');
      for (const secret of [OPS, DANA, UNNAMED]) {
        for (let i = 0; i + 3 <= secret.length; i += 1) {
          expect(seen, `a piece of a secret: ${secret.slice(i, i + 3)}`).not.toContain(
            secret.slice(i, i + 3),
          );
        }
      }
    } finally {
      await app.close();
    }
  });
});

describe('failed authentication', () => {
  const from = (
    app: FastifyInstance,
    remoteAddress: string,
    authorization: string,
    extra: { method?: 'GET' | 'POST'; headers?: Record<string, string>; payload?: string } = {},
  ) =>
    app.inject({
      method: extra.method ?? 'GET',
      url: '/v1/disputes',
      remoteAddress,
      headers: { authorization, ...extra.headers },
      ...(extra.payload !== undefined ? { payload: extra.payload } : {}),
    });
  const GOOD = `Bearer ${SECRETS.manager}`;

  it('throttles an address after its failures, before the key, the body or the key’s rate limit', async () => {
    const app = await appWith({ AUTH_FAILURES_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE: '5' });
    try {
      for (let i = 0; i < 3; i += 1) {
        expect((await from(app, '10.0.0.1', `Bearer guess-${i}`)).statusCode).toBe(401);
      }
      const throttled = await from(app, '10.0.0.1', 'Bearer guess-3');
      expect(throttled.statusCode).toBe(429);
      expect(throttled.json().error).toMatchObject({
        code: 'auth_throttled',
        details: { retryAfterSeconds: expect.any(Number) },
      });
      const wait = Number(throttled.headers['retry-after']);
      expect(wait).toBeGreaterThanOrEqual(19);
      expect(wait).toBeLessThanOrEqual(20);

      // The right key does not help a throttled address: it is not even looked at...
      for (let i = 0; i < 10; i += 1) {
        const blocked = await from(app, '10.0.0.1', GOOD);
        expect(blocked.statusCode).toBe(429);
        expect(blocked.headers['x-ratelimit-remaining']).toBeUndefined();
      }
      // ...nor is the body read (malformed JSON and a body past the limit are not 400/413)...
      for (const payload of ['{"not json', 'x'.repeat(2 * 1024 * 1024)]) {
        const blocked = await from(app, '10.0.0.1', GOOD, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          payload,
        });
        expect(blocked.statusCode).toBe(429);
      }
      // ...nor can a forged X-Forwarded-For pose as another client.
      const forged = await from(app, '10.0.0.1', GOOD, {
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
      expect(forged.statusCode).toBe(429);

      // Another address is served, and the key's own bucket is untouched by all of the above.
      const other = await from(app, '10.0.0.2', GOOD);
      expect(other.statusCode).toBe(200);
      expect(other.headers['x-ratelimit-remaining']).toBe('4');
      // Public routes stay open to the throttled address.
      const health = await app.inject({
        method: 'GET',
        url: '/healthz',
        remoteAddress: '10.0.0.1',
      });
      expect(health.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('counts by X-Forwarded-For only behind the proxies TRUST_PROXY names', async () => {
    const app = await appWith({ AUTH_FAILURES_PER_MINUTE: '2', TRUST_PROXY: '10.0.0.100' });
    try {
      const viaProxy = (client: string, authorization: string) =>
        from(app, '10.0.0.100', authorization, { headers: { 'x-forwarded-for': client } });
      for (let i = 0; i < 2; i += 1) {
        expect((await viaProxy('203.0.113.7', 'Bearer guess')).statusCode).toBe(401);
      }
      expect((await viaProxy('203.0.113.7', GOOD)).statusCode).toBe(429);
      // Another client behind the same proxy is another address.
      expect((await viaProxy('203.0.113.8', GOOD)).statusCode).toBe(200);

      // A client that is not the proxy cannot choose its address with the header.
      for (let i = 0; i < 2; i += 1) {
        const guess = await from(app, '10.0.0.7', 'Bearer guess', {
          headers: { 'x-forwarded-for': `198.51.100.${i}` },
        });
        expect(guess.statusCode).toBe(401);
      }
      const spoofed = await from(app, '10.0.0.7', GOOD, {
        headers: { 'x-forwarded-for': '198.51.100.99' },
      });
      expect(spoofed.statusCode).toBe(429);
    } finally {
      await app.close();
    }
  });
});

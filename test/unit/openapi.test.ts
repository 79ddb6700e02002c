// The OpenAPI document: valid OpenAPI 3.1 in structure, and in step with the server's routes.
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, registeredRoutes } from '../../api/app';
import { DEV_API_KEYS, loadConfig } from '../../config';
import { DEFAULT_POLICY } from '../../domain/policy';
import type { Db } from '../../store/db';
import { openApiProblems } from '../support/openapi-structure';

let connection: Connection;
let app: FastifyInstance;
let document: any;

beforeAll(async () => {
  // Building the app touches neither the database nor Temporal.
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({
    config: loadConfig({ SETTLE_API_KEYS: DEV_API_KEYS, LOG_LEVEL: 'silent' }),
    db: {} as Db,
    temporal: new Client({ connection }),
    policy: DEFAULT_POLICY,
  });
  const response = await app.inject({ method: 'GET', url: '/openapi.json' });
  expect(response.statusCode).toBe(200);
  document = response.json();
});
afterAll(async () => {
  await app?.close();
  await connection?.close();
});

const operations = (): { path: string; method: string; op: any }[] =>
  Object.entries<Record<string, any>>(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );

describe('the OpenAPI document', () => {
  it('is a structurally valid OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(openApiProblems(document)).toEqual([]);
  });

  it('holds every route the server registered, and no other', () => {
    const served = registeredRoutes(app).map(
      (r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`,
    );
    const documented = operations().map((o) => `${o.method} ${o.path}`);
    expect(served.length).toBeGreaterThanOrEqual(20);
    expect(new Set(served).size).toBe(served.length);
    expect([...served].sort()).toEqual([...documented].sort());
  });

  it('documents the API.md endpoints, roles and error answers of each operation', () => {
    const expected = [
      'POST /v1/import',
      'POST /v1/invoices',
      'POST /v1/disputes',
      'GET /v1/disputes',
      'GET /v1/disputes/{id}',
      ...[
        'assign',
        'notes',
        'findings',
        'decision',
        'approval',
        'customer-response',
        'escalate',
        'withdraw',
        'mediation-outcome',
        'reopen',
      ].map((a) => `POST /v1/disputes/{id}/${a}`),
      'GET /v1/reports/summary',
      'GET /healthz',
      'GET /readyz',
      'GET /openapi.json',
      'GET /docs',
    ];
    const documented = operations().map((o) => `${o.method} ${o.path}`);
    expect(documented).toEqual(expect.arrayContaining(expected));
    for (const { path, method, op } of operations()) {
      const label = `${method} ${path}`;
      expect(op.summary, label).toEqual(expect.any(String));
      const statuses = Object.keys(op.responses);
      if (op.security?.length === 0) continue;
      expect(op.description, label).toMatch(/^Roles: /);
      expect(statuses, label).toEqual(expect.arrayContaining(['401', '403', '429']));
      if (op.requestBody)
        expect(statuses, label).toEqual(expect.arrayContaining(['400', '413', '415']));
      for (const status of statuses.filter((s) => s >= '400')) {
        expect(
          op.responses[status].content['application/json'].schema,
          `${label} ${status}`,
        ).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
  });

  it('describes request bodies from the same schemas that validate them', () => {
    const open = document.paths['/v1/disputes'].post;
    const schema = open.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(
      expect.arrayContaining(['customerId', 'invoiceId', 'reason', 'description', 'contact']),
    );
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.reason.enum).toContain('discount_request');
    expect(open.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
    const decision = document.paths['/v1/disputes/{id}/decision'].post;
    expect(decision.parameters).toContainEqual(
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    );
    expect(
      decision.requestBody.content['application/json'].schema.properties.resolution.enum,
    ).toEqual([
      'credit_note',
      'refund',
      'corrected_invoice',
      'debit_note',
      'payment_plan',
      'write_off',
      'reject',
    ]);
    const list = document.paths['/v1/disputes'].get;
    expect(list.parameters.map((p: any) => p.name)).toEqual([
      'phase',
      'customerId',
      'escalationLevel',
      'state',
      'assignee',
      'unassigned',
      'escalated',
      'overdue',
      'q',
      'sort',
      'limit',
      'cursor',
    ]);
  });
});

describe('the document as a map for clients and fuzzers', () => {
  it('links each response only to operations and parameters that exist', () => {
    const byId = new Map(operations().map((o) => [o.op.operationId as string, o]));
    const links = operations().flatMap(({ op }) =>
      Object.values<any>(op.responses).flatMap((r) => Object.values<any>(r.links ?? {})),
    );
    expect(links.length).toBeGreaterThan(20);
    for (const link of links) {
      const target = byId.get(link.operationId);
      expect(target, link.operationId).toBeDefined();
      const names = (target!.op.parameters as { name: string }[]).map((p) => p.name);
      for (const name of Object.keys(link.parameters ?? {})) expect(names).toContain(name);
      if (link.requestBody) expect(target!.op.requestBody).toBeDefined();
    }
    const fromOpen = document.paths['/v1/disputes'].post.responses['201'].links;
    expect(Object.values<any>(fromOpen).map((l) => l.operationId)).toEqual(
      expect.arrayContaining([
        'getV1DisputesId',
        'postV1DisputesIdAssign',
        'postV1DisputesIdDecision',
      ]),
    );
  });

  it('declares 414 wherever a path parameter can be too long', () => {
    for (const { path, op } of operations())
      expect(Object.keys(op.responses).includes('414'), path).toBe(path.includes('{'));
  });
});

describe('answers outside the operations', () => {
  it('405 with Allow and the JSON error for a known path and another method', async () => {
    for (const [method, url, allow] of [
      ['TRACE', '/v1/disputes', 'GET, POST'],
      ['PUT', '/v1/disputes/D-0000000000', 'GET'],
      ['QUERY', '/v1/webhooks/whk_000000000000000000000000', 'DELETE, GET'],
      ['DELETE', '/openapi.json', 'GET'],
    ] as const) {
      const got = await app.inject({ method, url });
      expect({ url, status: got.statusCode, allow: got.headers.allow }).toEqual({
        url,
        status: 405,
        allow,
      });
      expect(got.json().error.code).toBe('method_not_allowed');
    }
  });

  it('404 with the JSON error for an unknown path, whatever the method', async () => {
    for (const method of ['GET', 'TRACE'] as const) {
      const got = await app.inject({ method, url: '/v1/nothing-here' });
      expect(got.statusCode).toBe(404);
      expect(got.json().error.code).toBe('not_found');
    }
  });

  it('414 with the JSON error for a path parameter longer than the router reads', async () => {
    const got = await app.inject({ method: 'GET', url: `/v1/invoices/${'x'.repeat(900)}` });
    expect(got.statusCode).toBe(414);
    expect(got.json().error.code).toBe('uri_too_long');
    expect(got.headers['x-request-id']).toBeTruthy();
  });
});

describe('the structural check itself', () => {
  const broken = (change: (doc: any) => void): string[] => {
    const copy = structuredClone(document);
    change(copy);
    return openApiProblems(copy);
  };

  it('finds the mistakes it is there for', () => {
    expect(broken((d) => (d.openapi = '3.0.3'))).toEqual([
      '/openapi: must be a 3.1.x version string',
    ]);
    expect(broken((d) => delete d.info.title)).toEqual(['/info/title: is required']);
    expect(
      broken((d) => (d.paths['/v1/disputes'].post.responses['201'].description = undefined)),
    ).toHaveLength(1);
    expect(broken((d) => (d.paths['/v1/disputes/{id}'].get.parameters = []))).toEqual([
      '/paths/~1v1~1disputes~1{id}/get: path parameter id is not declared',
    ]);
    expect(
      broken(
        (d) =>
          (d.paths['/v1/disputes'].post.responses['409'].content['application/json'].schema = {
            $ref: '#/components/schemas/Nope',
          }),
      ),
    ).toEqual(['/: $ref #/components/schemas/Nope does not resolve']);
    expect(
      broken(
        (d) => (d.paths['/v1/disputes'].get.operationId = d.paths['/v1/disputes'].post.operationId),
      ),
    ).toHaveLength(1);
    expect(
      broken(
        (d) =>
          (d.paths['/v1/disputes'].post.requestBody.content[
            'application/json'
          ].schema.properties.reason.type = 'enum'),
      ),
    ).toHaveLength(1);
    expect(
      broken(
        (d) =>
          (d.paths['/v1/disputes'].post.requestBody.content['application/json'].schema.required =
            'customerId'),
      ),
    ).toHaveLength(1);
    expect(broken((d) => (d.paths['/v1/disputes'].post.security = [{ apiKey: [] }]))).toHaveLength(
      1,
    );
    expect(
      broken((d) => (d.paths['/v1/disputes'].post.responses['299x'] = { description: 'x' })),
    ).toHaveLength(1);
    expect(broken((d) => (d.paths['/v1/disputes'].post.summery = 'typo'))).toEqual([
      '/paths/~1v1~1disputes/post/summery: is not a field of this object',
    ]);
  });
});

describe('the docs page', () => {
  it('serves Swagger UI from this server, pointed at the document', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain("url: '/openapi.json'");
    const scripts = [...page.body.matchAll(/(?:src|href)="(\/docs\/assets\/[^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(scripts).toEqual([
      '/docs/assets/swagger-ui.css',
      '/docs/assets/favicon-32x32.png',
      '/docs/assets/swagger-ui-bundle.js',
    ]);
    for (const url of scripts) {
      const asset = await app.inject({ method: 'GET', url });
      expect({ url, status: asset.statusCode }).toEqual({ url, status: 200 });
      expect(asset.rawPayload.length).toBeGreaterThan(500);
    }
    const bundle = await app.inject({ method: 'GET', url: '/docs/assets/swagger-ui-bundle.js' });
    expect(bundle.headers['content-type']).toMatch(/^application\/javascript/);
    expect(bundle.body).toContain('SwaggerUIBundle');
  });

  it('serves no other file', async () => {
    for (const file of [
      'index.html',
      'package.json',
      'constructor',
      '__proto__',
      'swagger-ui.js.map',
    ]) {
      const got = await app.inject({ method: 'GET', url: `/docs/assets/${file}` });
      expect({ file, status: got.statusCode }).toEqual({ file, status: 404 });
      expect(got.json().error.code).toBe('not_found');
    }
    // Not even a file name, as the document's pattern says.
    const traversal = await app.inject({
      method: 'GET',
      url: '/docs/assets/..%2F..%2Fpackage.json',
    });
    expect(traversal.statusCode).toBe(400);
  });
});

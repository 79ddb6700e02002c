// Fuzzing every endpoint through the whole app (app.inject): fast-check bodies, queries, ids and
// headers, plus a corpus of malformed JSON, wrong content types, huge and deeply nested bodies.
// Nothing may answer 5xx, and every 4xx carries the JSON error body {error: {code, message}}.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { DEV_API_KEYS, loadConfig, ROLES, type Role } from '../../config';
import { DECISIONS, PHASES, REASONS, VERDICTS } from '../../domain/dispute';
import { FINDING_RULES } from '../../domain/investigation';
import { DEFAULT_POLICY } from '../../domain/policy';
import {
  customerBundle,
  disputeBody,
  invoiceRecord,
  openInPhase,
  orderRecords,
} from '../support/api-fixtures';
import { DATABASE_KINDS } from '../support/database';
import { SECRETS, startStack, type Stack } from '../support/stack';
import { startDevServerEnv } from '../support/temporal';

const CUSTOMER = 'C-FUZZ';
const INVOICES = ['F-1', 'F-2', 'F-3', 'F-4'];
const UNKNOWN_ID = 'D-0000000000';
const ACTION_PATHS = [
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
] as const;
type ActionPath = (typeof ACTION_PATHS)[number];

// ---- arbitraries -------------------------------------------------------------------------------

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 2, maxKeys: 3 }),
);

const oneOfValid = <T>(valid: fc.Arbitrary<T>, weight = 3): fc.Arbitrary<unknown> =>
  fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: junk });

const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    '   ',
    '\n',
    'x'.repeat(12_000),
    'line one\nline two',
    '\u0000',
    'a\u0000b',
    '\r\nBcc: x@y.z',
    '💸'.repeat(50),
  ),
);
const text = (...valid: string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(valid.length ? valid : ['A plain sentence'])) },
    { weight: 2, arbitrary: nastyText },
    { weight: 1, arbitrary: junk },
  );

const decimal = fc
  .tuple(fc.nat({ max: 10_000_000 }), fc.nat({ max: 99 }))
  .map(([whole, cents]) => `${whole}.${String(cents).padStart(2, '0')}`);
const amountText = fc.oneof(
  { weight: 3, arbitrary: decimal },
  { weight: 1, arbitrary: decimal.map((d) => `-${d}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'abc',
      '1e3',
      '1,000.00',
      ' 12.00',
      '12.',
      '.5',
      '+1.00',
      'NaN',
      'Infinity',
      '0x10',
      '12.345',
      '-0.00',
      '0',
      '0.00',
      '1'.repeat(40),
      '99999999999999999.99',
      '9223372036854775807',
      '١٢٣',
      '12.5\n',
    ),
  },
  { weight: 1, arbitrary: junk },
);
const currency = fc.oneof(
  fc.constantFrom('USD', 'USD', 'EUR', 'JPY', 'BHD', 'usd', 'XXX', 'US', 'USDD'),
  junk,
);
const money = oneOfValid(fc.record({ amount: amountText, currency }, { requiredKeys: [] }), 4);

/** Adds unknown fields now and then. */
const withExtras = (arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc
    .tuple(
      arb,
      fc.option(fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 2 }), { freq: 6 }),
    )
    .map(([value, extra]) =>
      extra && value !== null && typeof value === 'object' && !Array.isArray(value)
        ? { ...value, ...extra }
        : value,
    );

const openBody = withExtras(
  fc.record(
    {
      customerId: oneOfValid(fc.constantFrom(CUSTOMER, CUSTOMER, 'C-NOBODY', 'bad id', '')),
      invoiceId: oneOfValid(fc.constantFrom(...INVOICES, 'NOPE-1')),
      reason: oneOfValid(fc.constantFrom(...REASONS, 'too_expensive')),
      description: text('The unit price is above our contract'),
      lineIds: oneOfValid(
        fc.array(oneOfValid(fc.constantFrom(...INVOICES.map((i) => `${i}-1`), 'X-9')), {
          maxLength: 3,
        }),
      ),
      claimedAmount: money,
      contact: oneOfValid(
        fc.record(
          {
            name: text('Dana Lee'),
            email: oneOfValid(
              fc.oneof(
                fc.emailAddress(),
                fc.constantFrom('dana@example.com', 'not-an-email', 'a@b\r\nBcc: c@d.e'),
              ),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
      evidence: oneOfValid(
        fc.array(
          fc.record(
            {
              name: text('c.pdf'),
              url: oneOfValid(
                fc.oneof(
                  fc.webUrl(),
                  fc.constantFrom(
                    'javascript:alert(1)',
                    'ftp://x/y',
                    'https://files.example.com/c.pdf',
                  ),
                ),
              ),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
);

const finding = fc.record(
  {
    rule: oneOfValid(fc.constantFrom(...FINDING_RULES, 'astrology')),
    invoiceId: oneOfValid(fc.constantFrom(...INVOICES, 'NOPE-1')),
    lineId: oneOfValid(fc.option(fc.constantFrom('F-1-1', 'PO-F-1-1'))),
    expected: oneOfValid(fc.option(decimal)),
    actual: oneOfValid(fc.option(decimal)),
    delta: money,
    explanation: fc.option(text('Price above contract'), { nil: undefined }),
  },
  { requiredKeys: [] },
);

const ACTION_BODIES: Record<ActionPath, fc.Arbitrary<unknown>> = {
  assign: withExtras(fc.record({ assignee: text('agent-7') }, { requiredKeys: [] })),
  notes: withExtras(fc.record({ text: text('Called the customer') }, { requiredKeys: [] })),
  findings: withExtras(
    fc.record(
      {
        findings: oneOfValid(fc.array(finding, { maxLength: 3 })),
        verdict: oneOfValid(fc.constantFrom(...VERDICTS, 'guilty')),
      },
      { requiredKeys: [] },
    ),
  ),
  decision: withExtras(
    fc.record(
      {
        resolution: oneOfValid(fc.constantFrom(...DECISIONS, 'gift')),
        amount: money,
        installments: oneOfValid(fc.integer({ min: -3, max: 30 })),
        explanation: text('Per contract'),
      },
      { requiredKeys: ['resolution'] },
    ),
  ),
  approval: withExtras(
    fc.record({ approved: oneOfValid(fc.boolean()), comment: text('OK') }, { requiredKeys: [] }),
  ),
  'customer-response': withExtras(
    fc.record({ accepted: oneOfValid(fc.boolean()), comment: text('No') }, { requiredKeys: [] }),
  ),
  escalate: withExtras(fc.record({ reason: text('Slow') }, { requiredKeys: [] })),
  withdraw: withExtras(fc.record({ reason: text('Paid') }, { requiredKeys: [] })),
  'mediation-outcome': withExtras(
    fc.record(
      {
        agreed: oneOfValid(fc.boolean()),
        resolution: oneOfValid(fc.constantFrom(...DECISIONS)),
        amount: money,
      },
      { requiredKeys: [] },
    ),
  ),
  reopen: withExtras(fc.record({ reason: text('New evidence') }, { requiredKeys: [] })),
};

const invoiceBody = fc
  .record(
    {
      base: fc.constantFrom('F-NEW-1', 'F-NEW-2', 'F-1'),
      change: fc.dictionary(
        fc.constantFrom(
          'id',
          'customerId',
          'purchaseOrderId',
          'issuedAt',
          'dueAt',
          'currency',
          'taxRate',
          'billingAddress',
          'subtotal',
          'tax',
          'total',
          'lines',
          'extra',
        ),
        fc.oneof(
          amountText,
          currency,
          junk,
          fc.constantFrom('2026-02-30', '2026-03-05', 'C-NOBODY', 'PO-NONE', '0.5', '2'),
        ),
        { maxKeys: 3 },
      ),
      line: fc.dictionary(
        fc.constantFrom(
          'id',
          'sku',
          'poLineId',
          'quantity',
          'unitPrice',
          'discountPercent',
          'lineTotal',
          'extra',
        ),
        fc.oneof(
          amountText,
          junk,
          fc.integer({ min: -5, max: 3_000_000_000 }),
          fc.constantFrom('101', '-1', 'PO-F-1-1'),
        ),
        { maxKeys: 2 },
      ),
    },
    { requiredKeys: ['base', 'change', 'line'] },
  )
  .map(({ base, change, line }) => {
    const record = invoiceRecord(CUSTOMER, {
      id: base,
      billed: '100.00',
      issuedAt: '2026-04-01',
    }) as Record<string, any>;
    record.purchaseOrderId = `PO-${base}`;
    record.lines = [{ ...record.lines[0], poLineId: `PO-${base}-1`, ...line }];
    return { ...record, ...change };
  });

const bundleBody = withExtras(
  fc.record(
    {
      customers: oneOfValid(
        fc.array(
          fc.record(
            {
              id: oneOfValid(fc.constantFrom('C-FZ2')),
              name: text('Z'),
              email: text('z@z.z'),
              currency,
              taxRate: oneOfValid(fc.constantFrom('0', '0.2', '1.5', '-0.1')),
              billingAddress: oneOfValid(
                fc.record({
                  line1: text('1 Way'),
                  city: text('X'),
                  postalCode: text('1'),
                  country: text('US'),
                }),
              ),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 2 },
        ),
      ),
      contracts: oneOfValid(
        fc.array(
          fc.record(
            {
              id: text('K-FZ2'),
              customerId: oneOfValid(fc.constantFrom(CUSTOMER, 'C-FZ2', 'C-NOBODY')),
              validFrom: text('2026-01-01'),
              validTo: text('2026-12-31'),
              prices: oneOfValid(
                fc.array(fc.record({ sku: text('W'), unitPrice: amountText }), { maxLength: 2 }),
              ),
              discounts: oneOfValid(fc.constant([])),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 2 },
        ),
      ),
      invoices: oneOfValid(fc.array(invoiceBody, { maxLength: 2 })),
      payments: oneOfValid(
        fc.array(
          fc.record(
            {
              id: text('P-1'),
              customerId: oneOfValid(fc.constantFrom(CUSTOMER)),
              invoiceId: oneOfValid(fc.constantFrom('F-1', 'NOPE')),
              receivedAt: text('2026-04-01'),
              amount: amountText,
              currency,
            },
            { requiredKeys: [] },
          ),
          { maxLength: 2 },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
);

const queryValue = fc.oneof(
  fc.constantFrom(
    ...PHASES,
    '0',
    '1',
    '3',
    '-1',
    '200',
    '201',
    '1.5',
    'abc',
    '',
    CUSTOMER,
    '2026-03-01',
    '2026-03-01T00:00:00Z',
    'bm9wZQ',
    '%00',
    'true',
    'false',
    'open',
    'waiting',
    'deadline',
    'opened',
    '_',
    '%',
    '0.D-0000000000',
    'none.D-ZZZZZZZZZZ',
    '9999999999999.D-0000000000',
    '2026-03-10.F-1',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const query = (keys: string[]): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 })), queryValue), {
      maxLength: 4,
    })
    .map((pairs) =>
      pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
    );

const idSegment = fc.oneof(
  fc.constantFrom(
    UNKNOWN_ID,
    'D-',
    'd-0000000000',
    'D-00000000000',
    '..',
    '%2e%2e',
    'D-OOOOOOOOOO',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map(encodeURIComponent),
);

// ---- the corpus --------------------------------------------------------------------------------

const deepArray = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
const manyKeys = JSON.stringify(
  Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
);
const CORPUS: { name: string; payload?: string; contentType?: string }[] = [
  ...[
    '{',
    '{"a":',
    '[1,2',
    'nul',
    '{"a":1}}',
    "{'a':1}",
    '{"a":1,}',
    '{a:1}',
    '\u0000',
    ' ',
    '\ufeff{}',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '{"a":1e999}',
    '{"a":-0}',
    '{"reason":"other","reason":"x"}',
    '//\n{}',
    '{"a":NaN}',
    '{"a":undefined}',
  ].map((payload) => ({ name: `malformed ${JSON.stringify(payload).slice(0, 30)}`, payload })),
  ...['null', 'true', '123', '"a string"', '[]', '[{}]', '{}'].map((payload) => ({
    name: `not an object ${payload}`,
    payload,
  })),
  { name: 'proto poisoning', payload: '{"__proto__":{"polluted":true}}' },
  { name: 'constructor poisoning', payload: '{"constructor":{"prototype":{"polluted":true}}}' },
  { name: 'empty body with JSON type', payload: '' },
  { name: 'deep array', payload: deepArray },
  { name: 'deep object', payload: deepObject },
  { name: 'ten thousand keys', payload: manyKeys },
  {
    name: 'long array',
    payload: JSON.stringify({ lineIds: Array.from({ length: 100_000 }, (_, i) => i) }),
  },
  {
    name: 'huge string (413)',
    payload: JSON.stringify({ description: 'x'.repeat(2 * 1024 * 1024) }),
  },
  { name: 'huge number', payload: `{"installments":${'9'.repeat(400)}}` },
  { name: 'text/plain', payload: '{"text":"hi"}', contentType: 'text/plain' },
  {
    name: 'form',
    payload: 'text=hi&reason=other',
    contentType: 'application/x-www-form-urlencoded',
  },
  {
    name: 'multipart',
    payload: '--b\r\nContent-Disposition: form-data; name="text"\r\n\r\nhi\r\n--b--',
    contentType: 'multipart/form-data; boundary=b',
  },
  { name: 'xml', payload: '<note><text>hi</text></note>', contentType: 'application/xml' },
  {
    name: 'json latin1',
    payload: '{"text":"hi"}',
    contentType: 'application/json; charset=latin1',
  },
  {
    name: 'json utf-16',
    payload: '{"text":"hi"}',
    contentType: 'application/json; charset=utf-16',
  },
  { name: 'upper-case type', payload: '{"text":"hi"}', contentType: 'APPLICATION/JSON' },
  { name: 'vendor json type', payload: '{"text":"hi"}', contentType: 'application/vnd.api+json' },
  { name: 'garbage type', payload: '{"text":"hi"}', contentType: '%%%;;;' },
  { name: 'no content type', payload: '{"text":"hi"}', contentType: '' },
  { name: 'no body at all' },
];

// ---- the run -----------------------------------------------------------------------------------

interface Request {
  method: 'GET' | 'POST';
  url: string;
  role?: Role | null;
  body?: unknown;
  payload?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

class Fuzzer {
  requests = 0;
  readonly statuses = new Map<number, number>();

  constructor(private readonly app: FastifyInstance) {}

  async send(request: Request): Promise<LightMyRequestResponse> {
    const role = request.role === undefined ? 'manager' : request.role;
    const headers: Record<string, string> = {
      ...(role ? { authorization: `Bearer ${SECRETS[role]}` } : {}),
      ...request.headers,
    };
    let payload = request.payload;
    if (request.body !== undefined) payload = JSON.stringify(request.body);
    if (payload !== undefined && request.contentType !== '')
      headers['content-type'] = request.contentType ?? 'application/json';
    const response = await this.app.inject({
      method: request.method,
      url: request.url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
    this.requests += 1;
    this.statuses.set(response.statusCode, (this.statuses.get(response.statusCode) ?? 0) + 1);
    const label = `${request.method} ${request.url.slice(0, 120)} ${(payload ?? '').slice(0, 300)}`;
    if (response.statusCode >= 500)
      throw new Error(`${response.statusCode} for ${label}: ${response.body.slice(0, 500)}`);
    if (response.statusCode >= 400) {
      expect(response.headers['content-type'], label).toMatch(/^application\/json/);
      const body = response.json();
      expect(typeof body?.error?.code, label).toBe('string');
      expect(typeof body?.error?.message, label).toBe('string');
    }
    return response;
  }

  async property<T>(
    arb: fc.Arbitrary<T>,
    runs: number,
    seed: number,
    toRequest: (value: T) => Request,
  ): Promise<void> {
    await fc.assert(
      fc.asyncProperty(arb, async (value) => {
        await this.send(toRequest(value));
      }),
      { numRuns: runs, seed },
    );
  }
}

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe.each(DATABASE_KINDS)('fuzzing the API on %s', (kind) => {
  // SQLite takes the full load; PostgreSQL a share of it, for what only PostgreSQL rejects.
  const scale = kind === 'sqlite' ? 1 : 0.25;
  const runs = (n: number): number => Math.max(20, Math.round(n * scale));
  let stack: Stack;
  let app: FastifyInstance;
  let fuzzer: Fuzzer;
  const realIds: string[] = [];

  beforeAll(async () => {
    stack = await startStack(env, kind);
    // The rate limit and the failed-authentication throttle are off here: the fuzz is about
    // input, and 429s would hide it.
    app = await buildApp({
      config: loadConfig({
        SETTLE_API_KEYS: DEV_API_KEYS,
        TEMPORAL_TASK_QUEUE: stack.taskQueue,
        LOG_LEVEL: 'silent',
        RATE_LIMIT_PER_MINUTE: '0',
        AUTH_FAILURES_PER_MINUTE: '0',
      }),
      db: stack.database.db,
      temporal: env.client,
      policy: DEFAULT_POLICY,
    });
    fuzzer = new Fuzzer(app);
    const bundle = customerBundle(CUSTOMER, [
      { id: 'F-1', billed: '700.00' },
      { id: 'F-2', billed: '150.00' },
      { id: 'F-3', billed: '100.00' },
      { id: 'F-4', billed: '100.00' },
    ]);
    const orders = ['F-NEW-1', 'F-NEW-2'].map((id) => orderRecords(CUSTOMER, id));
    bundle.purchaseOrders!.push(...orders.flatMap((o) => o.purchaseOrders));
    bundle.deliveries!.push(...orders.flatMap((o) => o.deliveries));
    expect(
      (await stack.call('POST', '/v1/import', { role: 'operations', body: bundle })).status,
    ).toBe(200);
    realIds.push(
      (await openInPhase(stack, CUSTOMER, 'F-1', 'awaiting_decision')).id,
      (await openInPhase(stack, CUSTOMER, 'F-2', 'awaiting_customer')).id,
      (await openInPhase(stack, CUSTOMER, 'F-3', 'awaiting_review', 'other')).id,
    );
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
    const histogram = Object.fromEntries([...(fuzzer?.statuses ?? [])].sort(([a], [b]) => a - b));
    console.log(
      `fuzz on ${kind}: ${fuzzer?.requests ?? 0} requests, statuses ${JSON.stringify(histogram)}`,
    );
  });

  it('POST /v1/disputes with generated bodies, ids and Idempotency-Keys', async () => {
    await fuzzer.property(
      fc.tuple(
        openBody,
        fc.option(fc.oneof(fc.constantFrom('k-1', 'k-2'), fc.string({ maxLength: 300 })), {
          freq: 3,
        }),
        fc.constantFrom<Role>(...ROLES),
      ),
      runs(1200),
      1,
      ([body, key, role]) => ({
        method: 'POST',
        url: '/v1/disputes',
        role,
        body,
        ...(key !== null ? { headers: { 'idempotency-key': key } } : {}),
      }),
    );
  });

  it('every action with generated bodies on unknown and malformed ids', async () => {
    for (const [n, path] of ACTION_PATHS.entries()) {
      await fuzzer.property(
        fc.tuple(ACTION_BODIES[path], idSegment),
        runs(220),
        100 + n,
        ([body, id]) => ({
          method: 'POST',
          url: `/v1/disputes/${id}/${path}`,
          body,
        }),
      );
    }
  });

  it('every action with generated bodies on real disputes, through Temporal', async () => {
    for (const [n, path] of ACTION_PATHS.entries()) {
      await fuzzer.property(
        fc.tuple(
          ACTION_BODIES[path],
          fc.constantFrom(...realIds),
          fc.constantFrom<Role>('agent', 'manager'),
        ),
        runs(25),
        200 + n,
        ([body, id, role]) => ({
          method: 'POST',
          url: `/v1/disputes/${id}/${path}`,
          role,
          body,
        }),
      );
    }
  });

  it('POST /v1/invoices and POST /v1/import with generated records', async () => {
    await fuzzer.property(invoiceBody, runs(600), 300, (body) => ({
      method: 'POST',
      url: '/v1/invoices',
      role: 'operations',
      body,
    }));
    await fuzzer.property(bundleBody, runs(400), 301, (body) => ({
      method: 'POST',
      url: '/v1/import',
      role: 'operations',
      body,
    }));
  });

  it('the GET endpoints with generated queries and ids', async () => {
    await fuzzer.property(
      query([
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
      ]),
      runs(400),
      400,
      (q) => ({ method: 'GET', url: `/v1/disputes?${q}`, role: 'auditor' }),
    );
    for (const report of ['summary', 'series']) {
      await fuzzer.property(query(['from', 'to']), runs(300), 401, (q) => ({
        method: 'GET',
        url: `/v1/reports/${report}?${q}`,
        role: 'auditor',
      }));
    }
    await fuzzer.property(query(['q', 'limit']), runs(200), 404, (q) => ({
      method: 'GET',
      url: `/v1/customers?${q}`,
      role: 'auditor',
    }));
    await fuzzer.property(query(['limit', 'cursor']), runs(200), 405, (q) => ({
      method: 'GET',
      url: `/v1/customers/${CUSTOMER}/invoices?${q}`,
      role: 'auditor',
    }));
    for (const path of ['/v1/invoices/', '/v1/customers/', '/v1/disputes/{}/emails']) {
      await fuzzer.property(idSegment, runs(150), 406, (id) => ({
        method: 'GET',
        url: path.includes('{}') ? path.replace('{}', id) : `${path}${id}`,
        role: 'auditor',
      }));
    }
    await fuzzer.property(idSegment, runs(300), 402, (id) => ({
      method: 'GET',
      url: `/v1/disputes/${id}`,
      role: 'auditor',
    }));
    await fuzzer.property(
      fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
      runs(200),
      403,
      (path) => ({ method: 'GET', url: `/${path}`, role: 'auditor' }),
    );
  });

  it('generated Authorization headers', async () => {
    await fuzzer.property(
      fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          'Basic x',
          `Bearer ${SECRETS.agent} extra`,
          `Bearer  ${SECRETS.agent}`,
        ),
      ),
      runs(200),
      500,
      (authorization) => ({
        method: 'POST',
        url: '/v1/disputes',
        role: null,
        body: disputeBody(CUSTOMER, 'F-4'),
        headers: { authorization },
      }),
    );
  });

  it('the corpus against every POST endpoint', async () => {
    const urls = [
      '/v1/import',
      '/v1/invoices',
      '/v1/disputes',
      ...ACTION_PATHS.map((p) => `/v1/disputes/${realIds[0]}/${p}`),
    ];
    for (const url of urls) {
      for (const item of CORPUS) {
        await fuzzer.send({
          method: 'POST',
          url,
          role: url === '/v1/invoices' ? 'operations' : 'manager',
          payload: item.payload,
          contentType: item.contentType,
        });
      }
    }
    // Nothing in the corpus polluted a prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('sent enough requests', () => {
    console.log(`fuzz on ${kind}: ${fuzzer.requests} requests so far`);
    expect(fuzzer.requests).toBeGreaterThanOrEqual(kind === 'sqlite' ? 5000 : 1200);
  });
});

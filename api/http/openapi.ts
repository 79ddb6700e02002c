// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
import { z } from 'zod';
import type { AnyRoute, OperationLink } from './route';
import { documentedOverride, type JsonSchema } from './schema-docs';

/** Every string the server reads is free of NUL (PostgreSQL cannot store it; see nulPath). */
const NO_NUL = '^[^\\x00]*$';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const documented = documentedOverride(io);
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    override: (ctx) => {
      documented(ctx);
      const js = ctx.jsonSchema as JsonSchema;
      if (io !== 'input' || js.type !== 'string') return;
      if (!('pattern' in js || 'enum' in js || 'const' in js)) js.pattern = NO_NUL;
      // The pattern is what the server checks; a format validators read their own way is not.
      if (js.format === 'email' || js.format === 'uri') delete js.format;
    },
  }) as JsonSchema;
  return rest;
}

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input (validation error)',
  401: 'Missing or unknown API key',
  403: 'The key’s role may not do this',
  404: 'Not found',
  409: 'Conflicts with the current state (e.g. the dispute’s phase does not allow it)',
  413: 'Request body too large',
  414: 'A path parameter is longer than the server reads (URI too long)',
  415: 'Unsupported content type',
  422: 'Refers to something that does not exist or does not fit',
  429: 'Rate limit of the key, or failed authentications of the client address, exceeded; see Retry-After',
  503: 'The database or Temporal is unavailable or did not answer in time; see Retry-After',
};

function parameters(route: AnyRoute): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', route.documentParams ?? route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema as z.ZodType, 'input');
    const props = (js.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((js.required ?? []) as string[]);
    for (const [name, prop] of Object.entries(props)) {
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: prop });
    }
  }
  for (const header of route.headers ?? []) {
    out.push({
      name: header.name,
      in: 'header',
      required: false,
      description: header.description,
      schema: header.schema ? jsonSchema(header.schema, 'input') : { type: 'string' },
    });
  }
  return out;
}

const requestIdHeader = { $ref: '#/components/headers/RequestId' };

const htmlErrorResponse = (status: number): JsonSchema => ({
  description: `${ERROR_TEXT[status] ?? 'Error'} (an HTML page for the person)`,
  headers: { 'X-Request-Id': requestIdHeader },
  content: { 'text/html': { schema: { type: 'string' } } },
});

function errorResponse(status: number): JsonSchema {
  const retry = status === 429 || status === 503;
  return {
    description: ERROR_TEXT[status] ?? 'Error',
    headers: {
      'X-Request-Id': requestIdHeader,
      ...(retry ? { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } : {}),
      ...(status === 401 ? { 'WWW-Authenticate': { schema: { type: 'string' } } } : {}),
    },
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

/** The operationId of a route: method and path words, e.g. `postV1DisputesIdAssign`. */
export function operationId(method: string, path: string): string {
  const words = path
    .replace(/[{}]/g, '')
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/**
 * An OpenAPI link to the route `method url` (Fastify syntax), its parameters filled from the
 * response, e.g. `{ id: '$response.body#/id' }`.
 */
export function linkTo(
  method: string,
  url: string,
  parameters: Record<string, string>,
  description?: string,
  requestBody?: unknown,
): OperationLink {
  return {
    operationId: operationId(method, url.replace(/:(\w+)/g, '{$1}')),
    ...(description ? { description } : {}),
    parameters,
    ...(requestBody === undefined ? {} : { requestBody }),
  };
}

/** An event Settle POSTs to registered endpoints, for the document's `webhooks` section. */
export interface WebhookSpec {
  type: string;
  summary: string;
  schema: z.ZodType;
}

function webhookItem(spec: WebhookSpec): JsonSchema {
  return {
    post: {
      summary: spec.summary,
      operationId: `webhook${spec.type
        .split(/[._]/)
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join('')}`,
      description:
        'Signed with the endpoint’s secret: `Settle-Signature: t=<unix seconds>,v1=<hex ' +
        'HMAC-SHA256 of "t.body">`. Reject a signature that does not match or is older than ' +
        'five minutes; deduplicate by the event id. Retried with exponential backoff for three ' +
        'days until the receiver answers 2xx; one dispute’s events arrive in order.',
      parameters: [
        {
          name: 'Settle-Signature',
          in: 'header',
          required: true,
          schema: { type: 'string', pattern: '^t=\\d+,v1=[0-9a-f]{64}$' },
        },
        ...['Settle-Event-Id', 'Settle-Event-Type', 'Settle-Delivery-Id'].map((name) => ({
          name,
          in: 'header',
          required: true,
          schema: { type: 'string' },
        })),
        {
          name: 'Settle-Delivery-Attempt',
          in: 'header',
          required: true,
          schema: { type: 'string', pattern: '^[1-9][0-9]*$' },
        },
      ],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: jsonSchema(spec.schema, 'output') } },
      },
      responses: {
        '2XX': { description: 'Received; any other answer (or none in 10 s) is retried' },
      },
      security: [],
    },
  };
}

export function openApiDocument(
  routes: readonly AnyRoute[],
  version: string,
  webhooks: readonly WebhookSpec[] = [],
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const contentType = route.success.contentType ?? 'application/json';
    const responses: Record<string, JsonSchema> = {
      [route.success.status]: {
        description: route.success.description,
        headers: { 'X-Request-Id': requestIdHeader },
        ...(route.success.schema
          ? { content: { [contentType]: { schema: jsonSchema(route.success.schema, 'output') } } }
          : {}),
        ...(route.links ? { links: route.links } : {}),
      },
    };
    const statuses = new Set<number>(route.errors ?? []);
    const body = (route.body ?? route.documentBody) as z.ZodType | undefined;
    if (body || route.query || route.params) statuses.add(400);
    // Fastify reads path parameters up to maxParamLength characters (as sent, percent-encoded).
    if (route.url.includes(':')) statuses.add(414);
    // Every authenticated route reads the database, which may be down or busy for a while.
    if (route.roles !== 'public') [401, 403, 429, 503].forEach((s) => statuses.add(s));
    if (body) [413, 415].forEach((s) => statuses.add(s));
    for (const status of [...statuses].sort((a, b) => a - b))
      responses[status] = route.htmlErrors?.includes(status)
        ? htmlErrorResponse(status)
        : errorResponse(status);
    (paths[path] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      tags: [route.tag],
      operationId: operationId(route.method, path),
      ...(route.roles === 'public'
        ? { security: [] }
        : { description: `Roles: ${route.roles.join(', ')}.` }),
      parameters: parameters(route),
      ...(body
        ? {
            requestBody: {
              // A route reads a missing body as {} (registerRoutes); one that validates its body
              // itself needs one.
              required: route.body ? !(route.body as z.ZodType).safeParse({}).success : true,
              content: {
                [route.form ? 'application/x-www-form-urlencoded' : 'application/json']: {
                  schema: jsonSchema(body, 'input'),
                },
              },
            },
          }
        : {}),
      responses,
    };
  }
  const tags = [...new Set(routes.map((r) => r.tag))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Settle API',
      version,
      description:
        'Billing disputes, each run as a durable Temporal workflow. Authenticate with ' +
        '`Authorization: Bearer <secret>`; errors are `{"error": {"code", "message", "details"}}`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema },
      headers: {
        RequestId: {
          description: 'The request id: the X-Request-Id sent by the client, or a new one',
          schema: { type: 'string' },
        },
        RetryAfter: {
          description: 'Seconds to wait before trying again',
          schema: { type: 'integer', minimum: 0 },
        },
      },
    },
    paths,
    ...(webhooks.length > 0
      ? { webhooks: Object.fromEntries(webhooks.map((w) => [w.type, webhookItem(w)])) }
      : {}),
  };
}

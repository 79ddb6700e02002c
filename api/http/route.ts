// Routes are declared once with their zod schemas; the same declaration validates requests,
// types the handler and generates the OpenAPI document.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Role } from '../../config';
import { requireRole, type AuthenticatedCaller, type Caller } from './auth';
import { ApiError, badRequest, jsonPath } from './errors';
import type { AuthThrottle } from './auth-throttle';
import type { RateLimiter } from './rate-limit';

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<B, Q, P> {
  body: Infer<B>;
  query: Infer<Q>;
  params: Infer<P>;
  caller: Caller;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<B = undefined, Q = undefined, P = undefined> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify syntax, e.g. `/v1/disputes/:id`. */
  url: string;
  summary: string;
  tag: string;
  /** Roles allowed, or `public` for unauthenticated routes. */
  roles: readonly Role[] | 'public';
  body?: B;
  /** A body schema for the OpenAPI document only, where the handler validates the body itself. */
  documentBody?: Schema;
  query?: Q;
  params?: P;
  /** Path parameters for the OpenAPI document only, where the handler checks them itself. */
  documentParams?: Schema;
  /** The success status and the schema of its body, for the OpenAPI document. */
  success: { status: number; description: string; schema?: Schema; contentType?: string };
  /** Extra error statuses this route can answer with, besides 400/401/403. */
  errors?: readonly number[];
  /** Error statuses answered with an HTML page (a page for people) instead of the JSON error. */
  htmlErrors?: readonly number[];
  headers?: readonly { name: string; description: string; schema?: Schema }[];
  /**
   * OpenAPI links from the success response to the operations its values feed, e.g. the created
   * dispute's id to GET /v1/disputes/{id}; they let clients and stateful fuzzers chain calls.
   */
  links?: Readonly<Record<string, OperationLink>>;
  /** Overrides the app's body size limit (bytes), e.g. for whole import bundles. */
  bodyLimit?: number;
  /** An HTML form post (application/x-www-form-urlencoded) instead of JSON. */
  form?: boolean;
  handler: (ctx: RouteContext<B, Q, P>) => Promise<unknown>;
}

/** An OpenAPI Link object: `parameters` map the target's parameters to runtime expressions. */
export interface OperationLink {
  operationId: string;
  description?: string;
  parameters?: Readonly<Record<string, string>>;
  requestBody?: unknown;
}

// Routes are stored type-erased; defineRoute keeps the handler's types at the declaration.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any>;

export function defineRoute<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(spec: RouteSpec<B, Q, P>): AnyRoute {
  return spec;
}

export function formatIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message }));
}

interface Visit {
  value: unknown;
  key: PropertyKey | null;
  parent: Visit | null;
}

const pathOf = (visit: Visit): PropertyKey[] => {
  const keys: PropertyKey[] = [];
  for (let v: Visit | null = visit; v?.key != null; v = v.parent) keys.unshift(v.key);
  return keys;
};

/** The path of the first string holding a NUL character (PostgreSQL cannot store one), or null. */
export function nulPath(value: unknown): string | null {
  // Iterative, with parent links: a body may nest as deep as the size limit allows.
  const stack: Visit[] = [{ value, key: null, parent: null }];
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const v = visit.value;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return jsonPath(pathOf(visit));
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i -= 1) stack.push({ value: v[i], key: i, parent: visit });
    } else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        if (key.includes('\u0000')) return jsonPath(pathOf(visit));
        stack.push({ value: child, key, parent: visit });
      }
    }
  }
  return null;
}

function parse<S>(schema: S | undefined, value: unknown, where: string, checkNul = true): Infer<S> {
  const nul = checkNul ? nulPath(value) : null;
  if (nul !== null) {
    throw badRequest(`Invalid ${where}`, [
      { path: nul, message: 'must not contain NUL characters' },
    ]);
  }
  if (!schema) return undefined as Infer<S>;
  const result = (schema as unknown as z.ZodType).safeParse(value);
  if (!result.success) throw badRequest(`Invalid ${where}`, formatIssues(result.error));
  return result.data as Infer<S>;
}

const PUBLIC_CALLER: Caller = { role: 'auditor', actor: 'anonymous' };

export interface RouteGuards {
  authenticate: (header: string | undefined) => AuthenticatedCaller;
  rateLimiter: RateLimiter;
  authThrottle: AuthThrottle;
}

function authenticateOrCount(guards: RouteGuards, request: FastifyRequest): AuthenticatedCaller {
  const wait = guards.authThrottle.blockedFor(request.ip);
  if (wait > 0) {
    throw new ApiError(
      429,
      'auth_throttled',
      `Too many failed authentications from this address; try again in ${wait} s`,
      { retryAfterSeconds: wait },
      { 'retry-after': String(wait) },
    );
  }
  try {
    return guards.authenticate(request.headers.authorization);
  } catch (error) {
    guards.authThrottle.failed(request.ip);
    throw error;
  }
}

export function registerRoutes(
  app: FastifyInstance,
  routes: readonly AnyRoute[],
  guards: RouteGuards,
): void {
  const callers = new WeakMap<FastifyRequest, Caller>();
  const forms = routes.filter((route) => route.form);
  if (forms.length > 0) {
    // Only these routes parse form bodies; every other route still answers 415 to one.
    void app.register(async (scope) => {
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) =>
          done(null, Object.fromEntries(new URLSearchParams(body as string))),
      );
      for (const route of forms) registerOne(scope, route);
    });
  }
  for (const route of routes) if (!route.form) registerOne(app, route);

  function registerOne(app: FastifyInstance, route: AnyRoute): void {
    const roles = route.roles;
    app.route({
      method: route.method,
      url: route.url,
      ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
      // Before the body is read: a throttled address, an unknown key, a wrong role or an empty
      // bucket costs no parsing.
      ...(roles === 'public'
        ? {}
        : {
            onRequest: async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
              const caller = authenticateOrCount(guards, request);
              // The request's own lines and Fastify's 'request completed' line name who asked.
              request.log = reply.log = request.log.child({ actor: caller.actor });
              const rate = guards.rateLimiter.take(caller.keyId);
              if (rate.limit > 0) {
                reply
                  .header('x-ratelimit-limit', rate.limit)
                  .header('x-ratelimit-remaining', rate.remaining);
              }
              if (!rate.allowed) {
                throw new ApiError(
                  429,
                  'rate_limited',
                  `Rate limit of ${rate.limit} requests per minute exceeded`,
                  {
                    retryAfterSeconds: rate.retryAfterSeconds,
                  },
                  { 'retry-after': String(rate.retryAfterSeconds) },
                );
              }
              requireRole(caller, roles);
              callers.set(request, { role: caller.role, actor: caller.actor });
            },
          }),
      handler: async (request, reply) => {
        const ctx: RouteContext<unknown, unknown, unknown> = {
          params: parse<unknown>(route.params, request.params, 'path parameters'),
          query: parse<unknown>(route.query, request.query, 'query parameters'),
          // A route that answers a bad body with a page (htmlErrors) checks the body itself.
          body: parse<unknown>(
            route.body,
            // No body is {}; a JSON null is a body, and not an object.
            request.body === undefined ? {} : request.body,
            'request body',
            route.body !== undefined || !route.htmlErrors?.includes(400),
          ),
          caller: callers.get(request) ?? PUBLIC_CALLER,
          request,
          reply,
        };
        // The route's success status is the default; a handler may still set another.
        reply.code(route.success.status);
        return route.handler(ctx);
      },
    });
  }
}

// Builds the Fastify app: auth, rate limit, validation, the error contract of API.md, and every route.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createAuthenticator } from './http/auth';
import { createAuthThrottle } from './http/auth-throttle';
import type { AppDeps } from './http/deps';
import { ApiError, errorBody, fromDomainError } from './http/errors';
import { openApiDocument } from './http/openapi';
import { createRateLimiter } from './http/rate-limit';
import { registerRoutes, type AnyRoute } from './http/route';
import { actionRoutes } from './disputes/action-routes';
import { customerLookupRoutes } from './customers/routes';
import { disputeEmailRoutes } from './disputes/email-routes';
import { disputeRoutes } from './disputes/routes';
import { consoleRoutes } from './console/routes';
import { docsRoutes } from './docs/routes';
import { healthRoutes } from './health/routes';
import { importRoutes } from './import/routes';
import { invoiceRoutes } from './invoices/routes';
import { ledgerRoutes } from './ledger/routes';
import { meRoutes } from './me/routes';
import { reportRoutes } from './reports/routes';
import { databaseUnavailable } from './http/database-errors';
import { temporalUnavailable } from './http/temporal-errors';
import { customerMessageRoutes } from './customer-messages/routes';
import { customerRoutes } from './customer/routes';
import { webhookEventSchemas } from './webhooks/schemas';
import { webhookRoutes } from './webhooks/routes';

export const API_VERSION = '1.0.0';

export interface RegisteredRoute {
  method: string;
  url: string;
}
const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route the app registered (so tests can hold them against the OpenAPI document). */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

export function allRoutes(deps: AppDeps): AnyRoute[] {
  return [
    ...healthRoutes(deps),
    ...importRoutes(deps),
    ...invoiceRoutes(deps),
    ...customerLookupRoutes(deps),
    ...disputeRoutes(deps),
    ...disputeEmailRoutes(deps),
    ...actionRoutes(deps),
    ...reportRoutes(deps),
    ...ledgerRoutes(deps),
    ...webhookRoutes(deps),
    ...customerRoutes(deps),
    ...customerMessageRoutes(deps),
  ];
}

/** Fastify's own client errors (malformed JSON, wrong content type, body too large) by status. */
const CLIENT_ERROR_CODES: Readonly<Record<number, string>> = {
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
};

/**
 * The longest path parameter read, as sent: a customer link's signed token (up to ~470
 * characters), or a 64-character id percent-encoded (up to 4 UTF-8 bytes of 3 characters each).
 */
export const MAX_PARAM_LENGTH = 800;

/** Tells which methods the app serves at a concrete path, for a 405's Allow header. */
function methodsAt(routes: readonly RegisteredRoute[]): (path: string) => string[] {
  // Built at the first request: the list fills while routes are registered.
  let patterns: { method: string; regex: RegExp }[] | undefined;
  const compile = (): { method: string; regex: RegExp }[] =>
    routes.map((route) => ({
      method: route.method,
      // Fastify's syntax: `:name` is one path segment; a parameter is at most MAX_PARAM_LENGTH long.
      regex: new RegExp(
        `^${route.url
          .split(/(:\w+)/)
          .map((part) =>
            part.startsWith(':')
              ? `[^/]{1,${MAX_PARAM_LENGTH}}`
              : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
          )
          .join('')}$`,
      ),
    }));
  return (path) => {
    patterns ??= compile();
    return [...new Set(patterns.filter((p) => p.regex.test(path)).map((p) => p.method))].sort();
  };
}

/** A hop count trusts that many proxies nearest the server (Fastify's types take it as a function). */
function trustProxyOption(
  setting: boolean | number | string[],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      deps.config.LOG_LEVEL === 'silent'
        ? false
        : { level: deps.config.LOG_LEVEL, ...(deps.logStream ? { stream: deps.logStream } : {}) },
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    // The client address the failed-authentication throttle counts by (see TRUST_PROXY).
    trustProxy: trustProxyOption(deps.config.TRUST_PROXY),
    // Every route is in the OpenAPI document; implicit HEAD twins would not be.
    exposeHeadRoutes: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // The router's own rejections (a malformed or too long path) get the API's error body too.
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode ?? 400;
      void (reply as FastifyReply)
        .code(status)
        .header('x-request-id', request.id)
        .send(errorBody(CLIENT_ERROR_CODES[status] ?? 'bad_request', error.message));
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: false } },
  });

  const routeList: RegisteredRoute[] = [];
  registered.set(app, routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeList.push({ method, url: route.url });
  });

  const allowedMethods = methodsAt(routeList);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // A known path asked with a method it does not serve: 405 and what it does serve, before
    // Fastify would read (or demand) a body for the unknown route.
    if (request.is404) {
      const allow = allowedMethods(request.url.split('?')[0]!);
      if (allow.length > 0) {
        throw new ApiError(
          405,
          'method_not_allowed',
          `${request.method} is not allowed here; allowed: ${allow.join(', ')}`,
          { allow },
          { allow: allow.join(', ') },
        );
      }
    }
  });

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const known =
      error instanceof ApiError
        ? error
        : (fromDomainError(error) ?? temporalUnavailable(error) ?? databaseUnavailable(error));
    if (known) {
      if (known.statusCode >= 500) request.log.warn({ err: error }, known.message);
      return reply
        .code(known.statusCode)
        .headers(known.headers)
        .send(errorBody(known.code, known.message, known.details));
    }
    const status = (error as FastifyError).statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply
        .code(status)
        .send(errorBody(CLIENT_ERROR_CODES[status] ?? 'bad_request', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody('internal', 'Internal error; see the server log'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody('not_found', `No route ${request.method} ${request.url.slice(0, 200)}`)),
  );

  let document: unknown = null;
  const routes: AnyRoute[] = [];
  routes.push(
    ...allRoutes(deps),
    ...meRoutes(deps, () => routes),
    ...docsRoutes(() => document),
    ...consoleRoutes(deps.consoleDist),
  );
  document = openApiDocument(routes, API_VERSION, webhookEventSchemas());
  registerRoutes(app, routes, {
    authenticate: createAuthenticator(deps.config.SETTLE_API_KEYS),
    rateLimiter: createRateLimiter(deps.config.RATE_LIMIT_PER_MINUTE),
    authThrottle: createAuthThrottle({ perMinute: deps.config.AUTH_FAILURES_PER_MINUTE }),
  });

  await app.ready();
  return app;
}

// Builds the Fastify app: auth, rate limit, validation, the error contract of API.md, and every route.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createAuthenticator } from './http/auth';
import type { AppDeps } from './http/deps';
import { ApiError, errorBody, fromDomainError } from './http/errors';
import { openApiDocument } from './http/openapi';
import { createRateLimiter } from './http/rate-limit';
import { registerRoutes, type AnyRoute } from './http/route';
import { actionRoutes } from './disputes/action-routes';
import { disputeRoutes } from './disputes/routes';
import { docsRoutes } from './docs/routes';
import { healthRoutes } from './health/routes';
import { importRoutes } from './import/routes';
import { invoiceRoutes } from './invoices/routes';
import { ledgerRoutes } from './ledger/routes';
import { reportRoutes } from './reports/routes';
import { temporalUnavailable } from './http/temporal-errors';
import { databaseUnavailable } from './http/database-errors';

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
    ...disputeRoutes(deps),
    ...actionRoutes(deps),
    ...reportRoutes(deps),
    ...ledgerRoutes(deps),
  ];
}

/** Fastify's own client errors (malformed JSON, wrong content type, body too large) by status. */
const CLIENT_ERROR_CODES: Readonly<Record<number, string>> = {
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      deps.config.LOG_LEVEL === 'silent'
        ? false
        : { level: deps.config.LOG_LEVEL, ...(deps.logStream ? { stream: deps.logStream } : {}) },
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    // Every route is in the OpenAPI document; implicit HEAD twins would not be.
    exposeHeadRoutes: false,
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

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
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
  const routes = [...allRoutes(deps), ...docsRoutes(() => document)];
  document = openApiDocument(routes, API_VERSION);
  registerRoutes(app, routes, {
    authenticate: createAuthenticator(deps.config.SETTLE_API_KEYS),
    rateLimiter: createRateLimiter(deps.config.RATE_LIMIT_PER_MINUTE),
  });

  await app.ready();
  return app;
}

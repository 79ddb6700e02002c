// The typed API client, generated from the server's own OpenAPI document (openapi.gen.ts), with the
// session's key on every request and one error type for every answer that is not a success.
import createClient, { type Middleware } from 'openapi-fetch';
import { storedKey } from '../session/session';
import type { operations, paths } from './openapi.gen';

export type { components, operations, paths } from './openapi.gen';

export type OperationId = keyof operations;

/** An API answer that is not a success: its status and the `{error: {code, message, details}}` body. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

/** Called when the server no longer accepts the key (401), so the app can ask for it again. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

const auth: Middleware = {
  onRequest({ request }) {
    const key = storedKey();
    if (key) request.headers.set('Authorization', `Bearer ${key}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

/** The problem an error body describes, or a generic one for a body that is not the API's. */
export function problemOf(status: number, body: unknown): ApiProblem {
  const error = (body as ErrorBody | undefined)?.error;
  return new ApiProblem(
    status,
    error?.code ?? 'http_error',
    error?.message ?? `The server answered ${status}`,
    error?.details,
  );
}

/** The data of an openapi-fetch result, or its ApiProblem thrown (for TanStack Query). */
export async function unwrap<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok || data === undefined) throw problemOf(response.status, error);
  return data;
}

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type SuccessOf<R> = R extends { 200: infer S }
  ? JsonOf<S>
  : R extends { 201: infer S }
    ? JsonOf<S>
    : never;

/** The JSON body of an operation's success answer. */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? SuccessOf<R>
  : never;

export type Me = ResponseOf<'/v1/me', 'get'>;
export type Dispute = ResponseOf<'/v1/disputes/{id}', 'get'>;
export type DisputeList = ResponseOf<'/v1/disputes', 'get'>;
export type DisputeSummary = DisputeList['items'][number];
export type Finding = Dispute['findings'][number];
export type TimelineEvent = Dispute['timeline'][number];
export type Adjustment = Dispute['adjustments'][number];
export type Invoice = ResponseOf<'/v1/invoices/{id}', 'get'>;
export type EmailList = ResponseOf<'/v1/disputes/{id}/emails', 'get'>;
export type Customer = ResponseOf<'/v1/customers/{id}', 'get'>;
export type CustomerLedger = ResponseOf<'/v1/customers/{id}/ledger', 'get'>;
export type Summary = ResponseOf<'/v1/reports/summary', 'get'>;
export type Series = ResponseOf<'/v1/reports/series', 'get'>;
export type ListQuery = NonNullable<paths['/v1/disputes']['get']['parameters']['query']>;

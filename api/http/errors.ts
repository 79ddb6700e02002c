// The API's error body, `{"error": {"code", "message", "details"}}`, and the statuses of API.md.

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Response headers that belong to the error, e.g. Retry-After or WWW-Authenticate. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, details?: unknown): ApiError =>
  new ApiError(400, 'validation_error', message, details);
export const unprocessable = (message: string, details?: unknown): ApiError =>
  new ApiError(422, 'unprocessable', message, details);
export const notFound = (what: string): ApiError =>
  new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown): ApiError =>
  new ApiError(409, code, message, details);
export const unavailable = (message: string, details?: unknown): ApiError =>
  new ApiError(503, 'unavailable', message, details, { 'retry-after': '5' });

/** A JSONPath-like pointer into the request body: `$.invoices[0].lines[2].sku`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`),
    '$',
  );
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

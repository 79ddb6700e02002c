// The API's error body, `{"error": {"code", "message", "details"}}`, and the statuses of API.md.
import { DomainError, type DomainErrorKind } from '../../domain/errors';

export { jsonPath } from '../../domain/errors';

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

const STATUS_OF: Readonly<Record<DomainErrorKind, { status: number; code: string }>> = {
  invalid: { status: 400, code: 'validation_error' },
  not_found: { status: 404, code: 'not_found' },
  conflict: { status: 409, code: 'conflict' },
  unprocessable: { status: 422, code: 'unprocessable' },
};

/** A domain error as the API answers it, or null for any other error. */
export function fromDomainError(error: unknown): ApiError | null {
  if (!(error instanceof DomainError)) return null;
  const { status, code } = STATUS_OF[error.kind];
  return new ApiError(status, error.code ?? code, error.message, error.details);
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

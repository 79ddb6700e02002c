// What is wrong with a request, in the domain's terms. Code below the API (store/, activities/)
// throws these; the API maps each kind to its status: invalid 400, not_found 404, conflict 409,
// unprocessable 422.

export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'unprocessable';

/** One problem of a request, with the JSON path of the value at fault: `$.invoices[0].total`. */
export interface Problem {
  path: string;
  message: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: unknown,
    /** A machine-readable code for the API's error body; defaults by kind. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export const invalidInput = (message: string, details?: unknown): DomainError =>
  new DomainError('invalid', message, details);
export const unprocessable = (message: string, details?: unknown): DomainError =>
  new DomainError('unprocessable', message, details);
export const conflictWith = (code: string, message: string, details?: unknown): DomainError =>
  new DomainError('conflict', message, details, code);
export const notFound = (what: string): DomainError =>
  new DomainError('not_found', `${what} not found`);

/** A JSONPath-like pointer into a request body: `$.invoices[0].lines[2].sku`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`),
    '$',
  );
}

// Every POST that changes something carries an Idempotency-Key. A request is retried on its own
// after a network failure or a 503 with the same key, so the server acts on it at most once.
import { ApiProblem } from './client';

const keys = new WeakMap<object, string>();

/** One key per request: the same function object (a retry) gets the same key. */
export function keyFor(request: object): string {
  let key = keys.get(request);
  if (!key) {
    key = crypto.randomUUID();
    keys.set(request, key);
  }
  return key;
}

/** Retries an unanswered request (network failure) or an unavailable server (503), twice. */
export function retryTransient(failures: number, error: unknown): boolean {
  return (
    failures < 2 &&
    (error instanceof TypeError || (error instanceof ApiProblem && error.status === 503))
  );
}

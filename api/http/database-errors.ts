// Database faults in the API's terms: a database that is down, unreachable, out of connections or
// locked past its timeout is 503 with Retry-After — the client's request was fine, try again.
import { isDatabaseUnavailable } from '../../store/errors';
import { ApiError, unavailable } from './errors';

/** The ApiError for a database outage or timeout, or null for any other error. */
export function databaseUnavailable(error: unknown): ApiError | null {
  if (!isDatabaseUnavailable(error)) return null;
  return unavailable('The database is unavailable or busy; try again', { service: 'database' });
}

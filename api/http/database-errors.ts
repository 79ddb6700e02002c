// Database errors in the API's terms: an overloaded or unreachable database is 503, not 500.
import { isDatabaseUnavailable } from '../../store/errors';
import { unavailable, type ApiError } from './errors';

/** The ApiError for a database that is busy or out of reach, or null for any other error. */
export function databaseUnavailable(error: unknown): ApiError | null {
  if (!isDatabaseUnavailable(error)) return null;
  return unavailable('The database is busy or unavailable; try again', { service: 'database' });
}

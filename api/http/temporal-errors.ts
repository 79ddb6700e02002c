// Temporal's client errors in the API's terms: an unreachable, overloaded or slow server is 503.
import {
  isGrpcServiceError,
  ServiceError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApiError, unavailable } from './errors';

/** How long a request may wait on Temporal (start, update, signal) before it answers 503. */
export const TEMPORAL_CALL_TIMEOUT_MS = 30_000;

// gRPC status codes that mean "not now" rather than "wrong request".
const TRANSIENT_CODES = new Set([
  1, // CANCELLED
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED
  14, // UNAVAILABLE
]);

function isTransient(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (isGrpcServiceError(error)) return TRANSIENT_CODES.has(error.code);
  if (error instanceof ServiceError) {
    // The SDK wraps gRPC errors; a cause that is no gRPC error at all is a broken connection.
    return (
      error.cause === undefined || !isGrpcServiceError(error.cause) || isTransient(error.cause)
    );
  }
  // Connection.connect and lazy connections fail with this before any RPC is made.
  return error instanceof Error && error.name === 'TransportError';
}

/** The ApiError for a Temporal outage or timeout, or null for any other error. */
export function temporalUnavailable(error: unknown): ApiError | null {
  if (!isTransient(error)) return null;
  return unavailable('The workflow service is unavailable or did not answer in time; try again', {
    service: 'temporal',
  });
}

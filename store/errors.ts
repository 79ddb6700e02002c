// Database errors that callers act on, recognised from either generated Prisma client.

function prismaCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** Prisma's unique-constraint violation, from either generated client. */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === 'P2002';
}

/**
 * A transaction that lost a race for the write lock and may simply be run again: SQLite's
 * SQLITE_BUSY (a deferred transaction cannot upgrade past another connection's commit; Prisma
 * reports P1008, or P2010 for raw queries) and PostgreSQL's serialization failure or deadlock.
 */
export function isWriteConflict(error: unknown): boolean {
  const code = prismaCode(error);
  if (code === 'P1008' || code === 'P2034') return true;
  const message = error instanceof Error ? error.message : '';
  return /SQLITE_BUSY|database is locked|deadlock detected/.test(message);
}

// Driver-adapter error kinds (@prisma/driver-adapter-utils) that mean "the database, not the request".
const UNAVAILABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
  'TlsConnectionError',
  'AuthenticationFailed',
  'DatabaseDoesNotExist',
  'DatabaseAccessDenied',
]);
// Prisma's codes for the same: can't reach (P1001), timed out reaching (P1002), operation timed
// out — SQLite's busy timeout among them (P1008), server closed the connection (P1017), no
// connection free in the pool in time (P2024), a transaction that could not start within its
// maxWait or expired — a PostgreSQL pool with every connection taken, under load (P2028), write
// conflict or deadlock (P2034).
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);
// PostgreSQL SQLSTATEs: connection exceptions (08…), insufficient resources (53…), operator
// intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now), a statement
// timeout (57014), serialization failure and deadlock (40001, 40P01), lock not available (55P03).
const UNAVAILABLE_SQLSTATE = /^(08|53)...$|^(57P0[1-3]|57014|40001|40P01|55P03)$/;
// SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), in any extended form (low byte).
const SQLITE_BUSY_OR_LOCKED = new Set([5, 6]);
// What pg and pg-pool throw themselves when a connection dies or cannot be had in time.
const DRIVER_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|SQLITE_BUSY|database is locked/;

function unavailableCause(cause: unknown): boolean {
  if (typeof cause !== 'object' || cause === null || !('kind' in cause)) return false;
  const { kind } = cause;
  if (typeof kind !== 'string') return false;
  if (UNAVAILABLE_KINDS.has(kind)) return true;
  if (kind === 'postgres' && 'code' in cause && typeof cause.code === 'string') {
    return UNAVAILABLE_SQLSTATE.test(cause.code);
  }
  if (kind === 'sqlite' && 'extendedCode' in cause && typeof cause.extendedCode === 'number') {
    return SQLITE_BUSY_OR_LOCKED.has(cause.extendedCode & 0xff);
  }
  return false;
}

/**
 * The database is down, unreachable, out of connections, or busy past its timeout — a fault of
 * the moment, not of the request: worth answering 503 and retrying later. Recognised from either
 * generated Prisma client, a driver adapter's error, or the driver's own, through the cause chain.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; typeof e === 'object' && e !== null && !seen.has(e);) {
    seen.add(e);
    const code = prismaCode(e);
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if ('name' in e && e.name === 'PrismaClientInitializationError') return true;
    const meta = 'meta' in e ? e.meta : undefined;
    const adapterError =
      typeof meta === 'object' && meta !== null && 'driverAdapterError' in meta
        ? meta.driverAdapterError
        : undefined;
    for (const candidate of [e, adapterError]) {
      if (typeof candidate === 'object' && candidate !== null && 'cause' in candidate) {
        if (unavailableCause(candidate.cause)) return true;
      }
    }
    if (e instanceof Error && DRIVER_MESSAGES.test(e.message)) return true;
    e = 'cause' in e ? e.cause : undefined;
  }
  return false;
}

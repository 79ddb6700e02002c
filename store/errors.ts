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

/**
 * The database is overloaded or out of reach, and the same request may succeed later: no pooled
 * connection came free in time (P2024), a transaction could not start in time or expired (P2028),
 * the server cannot be reached or timed out (P1001, P1002).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = prismaCode(error);
  return code === 'P2024' || code === 'P2028' || code === 'P1001' || code === 'P1002';
}

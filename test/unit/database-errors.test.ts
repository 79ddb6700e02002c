// Which database errors are a fault of the moment (503, retry) and which are not. The shapes are
// those the Prisma clients and driver adapters throw (seen against the real servers in
// test/integration/database-faults.test.ts); here also the ones a test cannot easily provoke.
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, isUniqueViolation } from '../../store/errors';

const known = (code: string, cause?: object): Error =>
  Object.assign(new Error(`prisma ${code}`), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta: cause ? { driverAdapterError: { name: 'DriverAdapterError', cause } } : {},
  });
const adapter = (cause: object): Error =>
  Object.assign(new Error('driver adapter'), { name: 'DriverAdapterError', cause });
const postgres = (code: string): object => ({ kind: 'postgres', code, message: code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['server unreachable', known('P1001', { kind: 'DatabaseNotReachable', port: 5432 })],
    ['SQLite busy past its timeout', known('P1008', { kind: 'SocketTimeout' })],
    ['pool exhausted', known('P2024')],
    ['a transaction that could not start within its wait', known('P2028')],
    ['write conflict or deadlock', known('P2034')],
    ['a raw query on an unreachable server', known('P2010', { kind: 'DatabaseNotReachable' })],
    ['administrator shutdown', adapter(postgres('57P01'))],
    ['the server is starting up', adapter(postgres('57P03'))],
    ['too many connections', adapter({ kind: 'TooManyConnections', cause: 'x' })],
    ['a connection exception', adapter(postgres('08006'))],
    ['a statement timeout', adapter(postgres('57014'))],
    ['a closed connection', adapter({ kind: 'ConnectionClosed' })],
    ['SQLite locked (extended code)', adapter({ kind: 'sqlite', extendedCode: 262 })],
    ['pg’s own broken connection', new Error('Connection terminated unexpectedly')],
    ['pg-pool’s connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'a cause further down',
      Object.assign(new Error('wrapped'), { cause: adapter(postgres('57P01')) }),
    ],
    [
      'the client failing to start',
      Object.assign(new Error('init'), { name: 'PrismaClientInitializationError' }),
    ],
  ])('is true for %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', known('P2002', { kind: 'UniqueConstraintViolation' })],
    ['a missing record', known('P2025')],
    ['a foreign key violation', adapter({ kind: 'ForeignKeyConstraintViolation' })],
    ['a syntax error', adapter(postgres('42601'))],
    ['a missing table (migrations not applied)', adapter({ kind: 'TableDoesNotExist' })],
    ['a value out of range', adapter({ kind: 'ValueOutOfRange', cause: 'x' })],
    ['a plain error', new Error('something else')],
    ['not an error', 'P1001'],
    ['null', null],
  ])('is false for %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('survives a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
    expect(isUniqueViolation(a)).toBe(false);
  });
});

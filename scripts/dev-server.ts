// The command line of `temporal server start-dev` as `npm start` runs it, shared with the
// benchmarks that measure that configuration.

/**
 * SQLite settings of the file-backed dev server. WAL with synchronous=normal commits without an
 * fsync per transaction: a killed server (kill -9) loses nothing committed, since committed
 * pages are in the WAL file in the OS's page cache; a power cut or kernel crash may lose the
 * last commits, never the file's consistency.
 */
export const DEV_SERVER_SQLITE_PRAGMAS: readonly string[] = [
  'journal_mode=wal',
  'synchronous=normal',
];

export interface DevServerOptions {
  ip?: string;
  port: number;
  /** The web UI's port; null runs it headless. */
  uiPort: number | null;
  /** The SQLite file that keeps state across restarts; undefined keeps it in memory. */
  dbFile?: string;
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** `PRAGMA=VALUE` settings for the file; default DEV_SERVER_SQLITE_PRAGMAS. */
  sqlitePragmas?: readonly string[];
}

/** Arguments of the Temporal CLI (`.tools/bin/temporal`). */
export function devServerArgs(options: DevServerOptions): string[] {
  const args = [
    'server',
    'start-dev',
    '--ip',
    options.ip ?? '127.0.0.1',
    '--port',
    String(options.port),
  ];
  args.push(...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort)]));
  if (options.dbFile !== undefined) {
    args.push('--db-filename', options.dbFile);
    for (const pragma of options.sqlitePragmas ?? DEV_SERVER_SQLITE_PRAGMAS) {
      args.push('--sqlite-pragma', pragma);
    }
  }
  if (options.namespace !== undefined) args.push('--namespace', options.namespace);
  args.push('--log-level', options.logLevel ?? 'warn');
  return args;
}

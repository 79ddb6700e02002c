// One test file's production shape: the Temporal server on PostgreSQL, Settle on PostgreSQL, the API
// and two workers as separate processes — started before the file's tests, stopped after them.
import { afterAll, beforeAll } from 'vitest';
import { startProcessStack, testLogDir, type ProcessStack } from './process-stack';
import { startClusterServer, type ClusterServer } from './temporal-servers';

export interface ClusterStack {
  server: ClusterServer;
  stack: ProcessStack;
  /** Where the processes write their logs (var/test-logs/<name>-…). */
  logDir: string;
}

export function useClusterStack(name: string): () => ClusterStack {
  let started: ClusterStack | undefined;
  let server: ClusterServer | undefined;
  let stack: ProcessStack | undefined;
  beforeAll(async () => {
    const logDir = testLogDir(name);
    server = await startClusterServer({ logDir });
    stack = await startProcessStack({
      temporal: server,
      database: 'postgresql',
      workers: 2,
      logDir,
    });
    started = { server, stack, logDir };
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
    await server?.stop();
  });
  return () => {
    if (!started) throw new Error(`the cluster of ${name} did not start`);
    return started;
  };
}

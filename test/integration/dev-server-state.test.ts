// The file-backed dev server as `npm start` runs it (SQLite in WAL mode, synchronous=normal) keeps
// every acknowledged write across a clean restart and across kill -9: workflows started and
// signalled before the server went down are still there, with their signals, afterwards.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_SERVER_SQLITE_PRAGMAS } from '../../scripts/dev-server';
import { startDevServer, type TemporalServer } from '../support/temporal-servers';
import { uniqueId } from '../support/temporal';

let folder: string;
let server: TemporalServer;
let connection: Connection;
let client: Client;
beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'settle-dev-server-'));
  server = await startDevServer({ logDir: folder, dbFile: path.join(folder, 'temporal.db') });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection, namespace: server.namespace });
});
afterAll(async () => {
  await connection?.close();
  await server?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Starts a workflow no worker runs (its state is all on the server) and signals it. */
async function startAndSignal(label: string): Promise<string> {
  const handle = await client.workflow.start('parkedWorkflow', {
    taskQueue: uniqueId('no-worker'),
    workflowId: uniqueId(label),
  });
  await handle.signal('note', label);
  return handle.workflowId;
}

async function signalsOf(workflowId: string): Promise<string[]> {
  const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
  return (events ?? []).flatMap((e) =>
    e.workflowExecutionSignaledEventAttributes
      ? [e.workflowExecutionSignaledEventAttributes.signalName ?? '']
      : [],
  );
}

describe('the dev server npm start runs', () => {
  it('uses WAL with synchronous=normal on its state file', async () => {
    expect(server.service.spec.args).toEqual(
      expect.arrayContaining(DEV_SERVER_SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p])),
    );
    await startAndSignal('wal');
    expect(existsSync(path.join(folder, 'temporal.db-wal'))).toBe(true);
  });

  it('keeps its workflows across a clean restart and across kill -9', async () => {
    const beforeRestart = await startAndSignal('clean');
    await server.restart();
    const beforeKill = await startAndSignal('killed');
    await server.restart('SIGKILL');

    for (const workflowId of [beforeRestart, beforeKill]) {
      const description = await client.workflow.getHandle(workflowId).describe();
      expect(description.status.name, workflowId).toBe('RUNNING');
      expect(await signalsOf(workflowId), workflowId).toEqual(['note']);
    }
  });
});

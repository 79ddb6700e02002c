// Recorded histories of every lifecycle path, one folder per generation of the workflow code,
// replayed against today's code: a change that would break running disputes fails here. Record the
// current generation anew with RECORD_HISTORIES=1 npm test.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayHistories, replayHistoryFolders } from '../support/replay';

const folders = await replayHistoryFolders();

describe('replay of recorded dispute histories', () => {
  it('has histories of more than one generation of the workflow', () => {
    expect(folders.length).toBeGreaterThanOrEqual(2);
  });

  it.each(folders.map((folder) => [basename(folder), folder]))(
    'replays every history of %s without nondeterminism',
    { timeout: 180_000 },
    async (_name, folder) => {
      const replayed = await replayHistories(folder, { workflowsPath: 'workflows/index.ts' });
      expect(replayed.length).toBeGreaterThanOrEqual(2);
    },
  );
});

// Recorded histories of every lifecycle path, replayed against today's workflow code: a change
// that would break running disputes fails here. Record anew with RECORD_HISTORIES=1 npm test.
import { describe, expect, it } from 'vitest';
import { replayHistories, replayHistoriesDir } from '../support/replay';

describe('replay of recorded dispute histories', () => {
  it('replays every history without nondeterminism', { timeout: 180_000 }, async () => {
    const replayed = await replayHistories(replayHistoriesDir, {
      workflowsPath: 'workflows/index.ts',
    });
    expect(replayed.length).toBeGreaterThanOrEqual(5);
  });
});

// A checkout in a folder only its owner may enter (mode 700, like root's home or any mktemp -d
// folder): scripts/postgres.sh still starts, serves, stops and deletes its cluster. Run as root,
// the server runs as `postgres`, which cannot enter such a folder, so the cluster lives outside it.
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRepoRoot } from '../support/temporal';

const run = promisify(execFile);

let folder: string;
let script: string;
beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'settle-private-'));
  chmodSync(folder, 0o700);
  mkdirSync(path.join(folder, 'checkout/scripts'), { recursive: true });
  script = path.join(folder, 'checkout/scripts/postgres.sh');
  copyFileSync(fromRepoRoot('scripts/postgres.sh'), script);
});
afterAll(async () => {
  if (script) await run('bash', [script, 'purge']).catch(() => undefined);
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const postgres = async (...args: string[]): Promise<string> =>
  (await run('bash', [script, ...args])).stdout.trim().split('\n').at(-1) ?? '';

describe('scripts/postgres.sh in a checkout under a mode-700 folder', () => {
  it('starts a cluster that serves, stops it and deletes it', async () => {
    const url = await postgres('ensure');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT current_user AS who, 6 * 7 AS answer');
      expect(rows).toEqual([{ who: 'settle', answer: 42 }]);
    } finally {
      await client.end();
    }
    const inCheckout = existsSync(path.join(folder, 'checkout/var/postgres/data'));
    // As root the server runs as `postgres`, which cannot reach the data inside the folder.
    expect(inCheckout).toBe(process.getuid?.() !== 0);

    expect(await postgres('status')).toBe(url);
    await postgres('stop');
    await expect(run('bash', [script, 'status'])).rejects.toMatchObject({ code: 3 });

    // Restarts on the same data, then purge removes it wherever it lives.
    expect(await postgres('ensure')).toBe(url);
    await postgres('purge');
    await expect(run('bash', [script, 'status'])).rejects.toMatchObject({ code: 3 });
    const url2 = await postgres('ensure');
    expect(url2).not.toBe(url); // a new cluster, with a new password
    await postgres('purge');
  });
});

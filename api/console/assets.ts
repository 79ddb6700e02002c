// The built console (console/dist, from `npm run console:build`): its page and hashed assets, read
// once and kept in memory, so serving them costs no disk access.
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface ConsoleAsset {
  body: Buffer;
  type: string;
}

export interface ConsoleBuild {
  page: Buffer;
  assets: ReadonlyMap<string, ConsoleAsset>;
}

export const CONSOLE_DIST: string = fileURLToPath(new URL('../../console/dist/', import.meta.url));

/** The built console, or null when it has not been built. */
export async function loadConsoleBuild(dist: string = CONSOLE_DIST): Promise<ConsoleBuild | null> {
  const indexFile = path.join(dist, 'index.html');
  if (!existsSync(indexFile)) return null;
  const assetsDir = path.join(dist, 'assets');
  const assets = new Map<string, ConsoleAsset>();
  if (existsSync(assetsDir)) {
    for (const name of await readdir(assetsDir)) {
      const type = CONTENT_TYPES[path.extname(name)];
      if (type) assets.set(name, { body: await readFile(path.join(assetsDir, name)), type });
    }
  }
  return { page: await readFile(indexFile), assets };
}

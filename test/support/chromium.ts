// Debian's Chromium driven by playwright-core: never a browser Playwright downloads itself.
// scripts/install-chromium.sh installs the package when it is missing (npm test runs it).
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { fromRepoRoot } from './temporal';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run \`bash scripts/install-chromium.sh\` first`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** test/artifacts/<name>.png (git-ignored), for a person to look at. */
export function artifactPath(name: string): string {
  const dir = fromRepoRoot('test/artifacts');
  mkdirSync(dir, { recursive: true });
  return `${dir}/${name}.png`;
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

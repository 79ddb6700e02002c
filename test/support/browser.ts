// The console in a real Chromium (Debian's package, driven by playwright-core) against the real
// stack on a loopback port: every page is watched for CSP violations, script errors, dialogs and
// requests to any other origin, checked with axe-core, and photographed at 1280 and 390 px.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Locator, Page } from 'playwright-core';
import type { Role } from '../../config';
import { SECRETS, startStack, type Stack } from './stack';
import { fromRepoRoot } from './temporal';

// One launcher for every browser test: Debian's Chromium with the flags this network needs.
export { launchChromium } from './chromium';

// Functions passed to page.evaluate run in the page; Node's types do not know its globals.
declare const window: any;
declare const document: any;
declare const requestAnimationFrame: (callback: () => void) => number;

export const ARTIFACTS = fromRepoRoot('test/artifacts/console');
export const WIDTHS = [1280, 390] as const;

/** Builds the console when its sources changed; files running at once wait on one lock. */
export function ensureConsoleBuilt(): void {
  mkdirSync(fromRepoRoot('var'), { recursive: true });
  execFileSync(
    'flock',
    [
      fromRepoRoot('var/.console-build.lock'),
      process.execPath,
      '--import',
      'tsx',
      'scripts/build-console.ts',
    ],
    { cwd: fromRepoRoot('.'), stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

export interface ConsoleStack extends Stack {
  baseUrl: string;
}

/** The real stack (worker, Temporal, database, SMTP) with the API listening on a free port. */
export async function startConsoleStack(env: TestWorkflowEnvironment): Promise<ConsoleStack> {
  ensureConsoleBuilt();
  const stack = await startStack(env, 'sqlite');
  const address = await stack.app.listen({ host: '127.0.0.1', port: 0 });
  return Object.assign(stack, { baseUrl: address });
}

export interface PageWatch {
  /** Everything that went wrong on the page: CSP violations, errors, dialogs, foreign requests. */
  problems: string[];
  /** Every URL the page requested. */
  requests: string[];
}

/** Records what must never happen on a console page; assert `problems` is empty at the end. */
export function watchPage(page: Page, baseUrl: string): PageWatch {
  const origin = new URL(baseUrl).origin;
  const watch: PageWatch = { problems: [], requests: [] };
  page.on('request', (request) => {
    const url = request.url();
    watch.requests.push(url);
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin)
      watch.problems.push(`request to another origin: ${url}`);
  });
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) watch.problems.push(`CSP: ${text}`);
    // Answers the test provokes (403, 409, 422, a bad import) show in the console as failed loads.
    else if (message.type() === 'error' && !/status of (40\d|41\d|42\d)/.test(text))
      watch.problems.push(`console error: ${text}`);
  });
  page.on('pageerror', (error) => watch.problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    watch.problems.push(`dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return watch;
}

export async function signIn(page: Page, baseUrl: string, role: Role, path = '/'): Promise<void> {
  await page.goto(new URL(path, baseUrl).href);
  await page.getByLabel('API key').fill(SECRETS[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core (WCAG 2.x A and AA rules) on the page as it is; returns the violations. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
    });
    return result.violations;
  });
  return violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes
        .slice(0, 5)
        .map((n) => JSON.stringify(n.target))
        .join(', ')}`,
  );
}

async function settle(page: Page): Promise<void> {
  // Two frames: layout and chart resizes after a viewport change are painted.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

/**
 * Checks the page at both widths: axe-core finds nothing, nothing is wider than the viewport,
 * and a full-page screenshot goes to test/artifacts/console/<name>-<width>.png.
 */
export async function checkPage(page: Page, name: string): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const problems: string[] = [];
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await settle(page);
    for (const v of await axeViolations(page)) problems.push(`${name} at ${width}px: ${v}`);
    const overflow: number = await page.evaluate(() => document.documentElement.scrollWidth);
    if (overflow > width)
      problems.push(`${name} at ${width}px: ${overflow}px wide, scrolls sideways`);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
  await settle(page);
  return problems;
}

/** Presses Tab until `target` has the focus, proving it is reachable by keyboard alone. */
export async function tabTo(page: Page, target: Locator, maxPresses = 120): Promise<void> {
  for (let i = 0; i < maxPresses; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reachable with ${maxPresses} presses of Tab: ${target.toString()}`);
}

// How the API serves the built console: the page at each of the console's addresses, hashed assets
// cached for a year, a strict Content-Security-Policy with nothing inline, and a clear 503 when
// the console has not been built.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { loadConsoleBuild } from '../../api/console/assets';
import { CONSOLE_CSP } from '../../api/console/routes';
import { DEV_API_KEYS, loadConfig } from '../../config';
import { DEFAULT_POLICY } from '../../domain/policy';
import type { Db } from '../../store/db';
import { ensureConsoleBuilt } from '../support/browser';

let connection: Connection;
let app: FastifyInstance;

beforeAll(async () => {
  ensureConsoleBuilt();
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({
    config: loadConfig({ SETTLE_API_KEYS: DEV_API_KEYS, LOG_LEVEL: 'silent' }),
    // Serving the console touches neither the database nor Temporal.
    db: {} as Db,
    temporal: new Client({ connection }),
    policy: DEFAULT_POLICY,
  });
});
afterAll(async () => {
  await app?.close();
  await connection?.close();
});

const PAGES = [
  '/',
  '/?view=mine&q=INV-1001',
  '/disputes/new',
  '/disputes/D-8K2M4Q7T1B',
  '/customers/C-100',
  '/import',
  '/reports?from=2026-01-01&to=2026-03-31',
];

describe('the console', () => {
  it('is one page at each of its addresses, revalidated on every visit, under a strict CSP', async () => {
    for (const url of PAGES) {
      const r = await app.inject({ method: 'GET', url });
      expect({ url, status: r.statusCode }).toEqual({ url, status: 200 });
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.body).toContain('<div id="root"></div>');
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });

  it('has no inline script or style, and every asset it names is served and cached for a year', async () => {
    const page = (await app.inject({ method: 'GET', url: '/' })).body;
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/src="\/assets\/[\w.-]+\.js"/);
      expect(content?.trim()).toBe('');
    }
    expect(page).not.toMatch(/<style\b|\sstyle=|\son\w+=/i);
    const assets = [...page.matchAll(/(?:src|href)="\/assets\/([\w.-]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const file of assets) {
      // Content-hashed names: a new build names new files, so a year of caching is safe.
      expect(file).toMatch(/-[\w-]{8}\.(js|css)$/);
      const r = await app.inject({ method: 'GET', url: `/assets/${file}` });
      expect({ file, status: r.statusCode }).toEqual({ file, status: 200 });
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(r.headers['content-type']).toMatch(
        file.endsWith('.js') ? /^text\/javascript/ : /^text\/css/,
      );
      expect(r.headers['content-security-policy']).toBe(CONSOLE_CSP);
    }
  });

  it('answers an unknown asset with 404 and a bad name with 400, both in JSON', async () => {
    const missing = await app.inject({ method: 'GET', url: '/assets/nothing-12345678.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    for (const url of ['/assets/..%2Fpackage.json', '/assets/a%20b.js', '/disputes/abc']) {
      const bad = await app.inject({ method: 'GET', url });
      expect({ url, status: bad.statusCode }).toEqual({ url, status: 400 });
      expect(bad.json().error.code).toBe('validation_error');
    }
  });

  it('answers 503 in JSON, saying how to build it, when it has not been built', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'settle-console-'));
    const unbuilt = await buildApp({
      config: loadConfig({ SETTLE_API_KEYS: DEV_API_KEYS, LOG_LEVEL: 'silent' }),
      db: {} as Db,
      temporal: new Client({ connection }),
      policy: DEFAULT_POLICY,
      consoleDist: empty,
    });
    try {
      expect(await loadConsoleBuild(empty)).toBeNull();
      for (const url of ['/', '/reports', '/assets/index-12345678.js']) {
        const r = await unbuilt.inject({ method: 'GET', url });
        expect(r.statusCode).toBe(503);
        expect(r.json().error).toEqual({
          code: 'console_not_built',
          message: 'The console has not been built: run `npm run console:build`',
        });
      }
      // The API itself is unaffected.
      expect((await unbuilt.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await unbuilt.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

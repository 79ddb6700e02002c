// The agent console: one HTML page at each of its addresses (the browser routes from there) and
// its hashed assets, cached for a year. A strict Content-Security-Policy: scripts, styles and
// requests only from this origin, nothing inline, no frames.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { disputeIdParams } from '../disputes/schemas';
import { ApiError, notFound } from '../http/errors';
import { defineRoute, type AnyRoute } from '../http/route';
import { idSchema } from '../http/schemas';
import { CONSOLE_DIST, loadConsoleBuild, type ConsoleBuild } from './assets';

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const page = z.string().describe('The console’s HTML page');

export function consoleRoutes(dist: string = CONSOLE_DIST): AnyRoute[] {
  let loaded: Promise<ConsoleBuild | null> | undefined;
  const build = (): Promise<ConsoleBuild | null> => (loaded ??= loadConsoleBuild(dist));
  const ready = async (reply: FastifyReply): Promise<ConsoleBuild> => {
    reply.headers(SECURITY_HEADERS);
    const built = await build();
    if (!built) {
      throw new ApiError(
        503,
        'console_not_built',
        'The console has not been built: run `npm run console:build`',
      );
    }
    return built;
  };
  const servePage = async (reply: FastifyReply): Promise<Buffer> => {
    const built = await ready(reply);
    // The page names the current hashed assets, so it is revalidated on every visit.
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
    return built.page;
  };
  const pageRoute = (url: string, summary: string, params?: z.ZodType): AnyRoute =>
    defineRoute({
      method: 'GET',
      url,
      summary,
      tag: 'console',
      roles: 'public',
      ...(params ? { params } : {}),
      success: { status: 200, description: 'The console', schema: page, contentType: 'text/html' },
      errors: [503],
      handler: async ({ reply }) => servePage(reply),
    });

  return [
    pageRoute('/', 'The agent console: its inbox'),
    pageRoute('/disputes/new', 'The agent console: a new dispute'),
    pageRoute('/disputes/:id', 'The agent console: a dispute', disputeIdParams),
    pageRoute('/customers/:id', 'The agent console: a customer', z.object({ id: idSchema })),
    pageRoute('/import', 'The agent console: import billing records'),
    pageRoute('/reports', 'The agent console: reports'),
    defineRoute({
      method: 'GET',
      url: '/assets/:file',
      summary: 'A script or style sheet of the console (content-hashed names, cached for a year)',
      tag: 'console',
      roles: 'public',
      params: z.object({ file: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'an asset file name') }),
      success: {
        status: 200,
        description: 'The file',
        schema: z.string(),
        contentType: 'application/octet-stream',
      },
      errors: [404, 503],
      handler: async ({ params, reply }) => {
        const asset = (await ready(reply)).assets.get(params.file);
        if (!asset) throw notFound(`Asset ${params.file}`);
        reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable');
        return asset.body;
      },
    }),
  ];
}

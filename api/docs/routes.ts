// The OpenAPI document and an interactive page for it (Swagger UI, served from the
// swagger-ui-dist package on this server: no CDN, works offline).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { defineRoute, type AnyRoute } from '../http/route';

const ASSETS: ReadonlyMap<string, string> = new Map([
  ['swagger-ui-bundle.js', 'application/javascript; charset=utf-8'],
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['favicon-32x32.png', 'image/png'],
]);

/** The folder of swagger-ui-dist, or null when the package is not installed. */
function swaggerUiFolder(): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch {
    return null;
  }
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Settle API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: '/openapi.json',
      dom_id: '#swagger-ui',
      deepLinking: true,
      persistAuthorization: true,
      tryItOutEnabled: true,
    });
  </script>
</body>
</html>
`;

const FALLBACK_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Settle API</title></head>
<body>
  <h1>Settle API</h1>
  <p>The interactive page needs the <code>swagger-ui-dist</code> package, which is not installed.
  The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</p>
</body>
</html>
`;

export function docsRoutes(document: () => unknown): AnyRoute[] {
  const folder = swaggerUiFolder();
  const cache = new Map<string, Promise<Buffer>>();
  return [
    defineRoute({
      method: 'GET',
      url: '/openapi.json',
      summary: 'This OpenAPI 3.1 document',
      tag: 'meta',
      roles: 'public',
      success: {
        status: 200,
        description: 'The document',
        schema: z.record(z.string(), z.unknown()),
      },
      handler: async () => document(),
    }),
    defineRoute({
      method: 'GET',
      url: '/docs',
      summary: 'Interactive documentation (Swagger UI) of this document',
      tag: 'meta',
      roles: 'public',
      success: {
        status: 200,
        description: 'An HTML page',
        schema: z.string(),
        contentType: 'text/html',
      },
      handler: async ({ reply }) => {
        reply.type('text/html; charset=utf-8');
        return folder ? PAGE : FALLBACK_PAGE;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/docs/assets/:file',
      summary: 'Script, style sheet and icon of the documentation page',
      tag: 'meta',
      roles: 'public',
      params: z.object({ file: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'an asset file name') }),
      success: {
        status: 200,
        description: 'The file',
        schema: z.string(),
        contentType: 'application/octet-stream',
      },
      errors: [404],
      handler: async ({ params, reply }) => {
        const type = ASSETS.get(params.file);
        if (!folder || !type) throw notFound(`Asset ${params.file}`);
        let content = cache.get(params.file);
        if (!content) {
          content = readFile(path.join(folder, params.file));
          cache.set(params.file, content);
          void content.catch(() => cache.delete(params.file));
        }
        reply.type(type).header('cache-control', 'public, max-age=86400');
        return content;
      },
    }),
  ];
}

// GET /v1/me: who the key belongs to, and every operation its role may call (by OpenAPI
// operationId), so a client offers exactly what the server will accept.
import { z } from 'zod';
import { ROLES } from '../../config';
import type { AppDeps } from '../http/deps';
import { operationId } from '../http/openapi';
import { defineRoute, type AnyRoute } from '../http/route';

const meSchema = z.object({
  role: z.enum(ROLES),
  /** The name the server records as the actor of this key's actions (timeline, ledger, emails). */
  actor: z.string(),
  operations: z
    .array(z.string())
    .describe('operationIds of this document that the role may call, public ones included'),
  temporalUi: z
    .object({ url: z.string(), namespace: z.string() })
    .nullable()
    .describe('Where the workflows can be seen in the Temporal web UI, when configured'),
});

export function meRoutes(deps: AppDeps, routes: () => readonly AnyRoute[]): AnyRoute[] {
  const { TEMPORAL_UI_URL, TEMPORAL_NAMESPACE } = deps.config;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/me',
      summary: 'The caller: role, actor name and the operations the role may call',
      tag: 'meta',
      roles: ROLES,
      success: { status: 200, description: 'The caller', schema: meSchema },
      handler: async ({ caller }) => ({
        role: caller.role,
        actor: caller.actor,
        operations: routes()
          .filter((r) => r.roles === 'public' || r.roles.includes(caller.role))
          .map((r) => operationId(r.method, r.url.replace(/:(\w+)/g, '{$1}'))),
        temporalUi: TEMPORAL_UI_URL
          ? { url: TEMPORAL_UI_URL.replace(/\/+$/, ''), namespace: TEMPORAL_NAMESPACE }
          : null,
      }),
    }),
  ];
}

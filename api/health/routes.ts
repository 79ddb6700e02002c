import { z } from 'zod';
import { pingDatabase } from '../../store/db';
import type { AppDeps } from '../http/deps';
import { ApiError } from '../http/errors';
import { defineRoute, type AnyRoute } from '../http/route';

const status = z.object({ status: z.string() });
/** A probe must answer quickly, whatever state Temporal is in. */
const READY_TIMEOUT_MS = 3_000;

export function healthRoutes({ db, temporal }: AppDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/healthz',
      summary: 'The process is up',
      tag: 'health',
      roles: 'public',
      success: { status: 200, description: 'Up', schema: status },
      handler: async () => ({ status: 'ok' }),
    }),
    defineRoute({
      method: 'GET',
      url: '/readyz',
      summary: 'The database and Temporal are reachable',
      tag: 'health',
      roles: 'public',
      success: { status: 200, description: 'Ready', schema: status },
      errors: [503],
      handler: async () => {
        const checks = await Promise.allSettled([
          pingDatabase(db),
          temporal.withDeadline(Date.now() + READY_TIMEOUT_MS, () =>
            temporal.workflowService.getSystemInfo({}),
          ),
        ]);
        const failed = ['database', 'temporal'].filter((_, i) => checks[i]?.status === 'rejected');
        if (failed.length) {
          throw new ApiError(
            503,
            'not_ready',
            `Not reachable: ${failed.join(', ')}`,
            { failed },
            { 'retry-after': '5' },
          );
        }
        return { status: 'ready' };
      },
    }),
  ];
}

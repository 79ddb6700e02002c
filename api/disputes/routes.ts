import { z } from 'zod';
import { ROLES } from '../../config';
import { resendFailedEmail } from '../../store/outbox/resend';
import { listDisputes } from '../../store/disputes/list';
import type { AppDeps } from '../http/deps';
import { loadDispute, summaryDto } from './dto';
import { openDispute } from './open';
import { notFound } from '../http/errors';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeyOf } from '../http/idempotency';
import { createKeyedLock } from '../http/keyed-lock';
import { defineRoute, type AnyRoute } from '../http/route';
import { TEMPORAL_CALL_TIMEOUT_MS } from '../http/temporal-errors';
import {
  disputeIdParams,
  disputeListSchema,
  disputeSchema,
  listDisputesQuery,
  openDisputeBody,
} from './schemas';
import { disputeLinks } from './links';

export function disputeRoutes(deps: AppDeps): AnyRoute[] {
  const { db } = deps;
  const now = deps.now ?? ((): Date => new Date());
  const openLock = createKeyedLock();
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/disputes',
      summary: 'Open a dispute and start its workflow',
      tag: 'disputes',
      roles: ['operations', 'agent', 'manager'],
      body: openDisputeBody,
      headers: [
        {
          ...IDEMPOTENCY_KEY_HEADER,
          description: 'Same key and body return the same dispute for 24 h',
        },
      ],
      success: { status: 201, description: 'The new dispute', schema: disputeSchema },
      links: disputeLinks(),
      errors: [409, 422, 503],
      handler: async ({ body, caller, request, reply }) => {
        const key = idempotencyKeyOf(request);
        // One open dispute per invoice: opening the same invoice waits for the one before.
        const result = await openLock(body.invoiceId, () =>
          deps.temporal.withDeadline(
            Date.now() + (deps.temporalTimeoutMs ?? TEMPORAL_CALL_TIMEOUT_MS),
            () =>
              openDispute(
                {
                  db,
                  temporal: deps.temporal,
                  taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
                  policy: deps.policy,
                  now,
                },
                body,
                caller,
                key,
              ),
          ),
        );
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return result.dispute;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/disputes/:id',
      summary: 'A dispute with its findings, adjustments and timeline',
      tag: 'disputes',
      roles: ROLES,
      params: disputeIdParams,
      success: { status: 200, description: 'The dispute', schema: disputeSchema },
      links: disputeLinks(),
      errors: [404],
      handler: async ({ params }) => {
        const dispute = await loadDispute(db, params.id);
        if (!dispute) throw notFound(`Dispute ${params.id}`);
        return dispute;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/disputes',
      summary: 'Disputes, filtered, searched and sorted, paginated by cursor',
      tag: 'disputes',
      roles: ROLES,
      query: listDisputesQuery,
      success: { status: 200, description: 'A page of disputes', schema: disputeListSchema },
      links: disputeLinks('/items/0'),
      handler: async ({ query }) => {
        const page = await listDisputes(db, query, now());
        return { items: page.rows.map(summaryDto), nextCursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/disputes/:id/emails/:messageId/resend',
      summary: 'Send again an email that could not be delivered (marked failed on the timeline)',
      tag: 'disputes',
      roles: ['manager'],
      params: emailParams,
      success: { status: 202, description: 'Queued for the outbox relay', schema: resendSchema },
      errors: [404, 409],
      handler: async ({ params, caller, reply }) => {
        await resendFailedEmail(db, {
          disputeId: params.id,
          messageId: params.messageId,
          actor: caller.actor,
          now: new Date(),
        });
        reply.code(202);
        return { messageId: params.messageId, status: 'pending' as const };
      },
    }),
  ];
}

// The Message-ID of an email of the dispute (GET …/emails), e.g. <dispute-D-….ack@settle.local>:
// printable ASCII, short enough to stay under the router's parameter length when percent-encoded,
// not starting with a dot (never a `.` or `..` path segment).
const emailParams = disputeIdParams.extend({
  messageId: z
    .string()
    .regex(/^[\x21-\x2d\x2f-\x7e][\x21-\x7e]{0,249}$/, 'an email id from GET …/emails'),
});
const resendSchema = z.object({ messageId: z.string(), status: z.literal('pending') });

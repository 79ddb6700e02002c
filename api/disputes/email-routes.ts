// GET /v1/disputes/{id}/emails: what Settle sent about the dispute, and whether it was delivered.
import { z } from 'zod';
import { ROLES } from '../../config';
import { listDisputeEmails } from '../../store/disputes/emails';
import type { AppDeps } from '../http/deps';
import { notFound } from '../http/errors';
import { defineRoute, type AnyRoute } from '../http/route';
import { disputeIdParams } from './schemas';
import { linkTo } from '../http/openapi';

const emailListSchema = z.object({
  items: z.array(
    z.object({
      id: z.string().describe('The Message-ID’s local part; email_queued events name it'),
      kind: z.string(),
      to: z.string(),
      subject: z.string(),
      status: z
        .enum(['pending', 'sending', 'sent', 'failed'])
        .describe('pending/sending: not delivered yet; sent: accepted by the SMTP server'),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      createdAt: z.iso.datetime(),
      sentAt: z.iso.datetime().nullable(),
    }),
  ),
});

export function disputeEmailRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/disputes/:id/emails',
      summary: 'The emails sent about a dispute, oldest first, with their delivery state',
      tag: 'disputes',
      roles: ROLES,
      params: disputeIdParams,
      success: { status: 200, description: 'The emails', schema: emailListSchema },
      links: {
        ResendEmail: linkTo('POST', '/v1/disputes/:id/emails/:messageId/resend', {
          id: '$request.path.id',
          messageId: '$response.body#/items/0/id',
        }),
      },
      errors: [404],
      handler: async ({ params }) => {
        const items = await listDisputeEmails(db, params.id);
        if (!items) throw notFound(`Dispute ${params.id}`);
        return { items };
      },
    }),
  ];
}

// What customers wrote (email replies, response-page notes): by dispute, or the review list of
// mail no dispute matched, which a person files under the right dispute.
import { z } from 'zod';
import { ROLES, type Role } from '../../config';
import { customerMessageNotice } from '../../email/customer-message-notice';
import { fileCustomerMessage, listCustomerMessages } from '../../store/customer-messages/record';
import type { AppDeps } from '../http/deps';
import { conflict, notFound, unprocessable } from '../http/errors';
import { defineRoute, type AnyRoute } from '../http/route';
import { linkTo } from '../http/openapi';

const WORKERS: readonly Role[] = ['agent', 'manager'];
const disputeId = z.string().regex(/^D-[0-9A-Z]{10}$/, 'a dispute id like D-8K2M4Q7T1B');

const messageSchema = z.object({
  id: z.uuid(),
  channel: z.enum(['email', 'web']),
  disputeId: disputeId.nullable(),
  matchedBy: z
    .enum(['in_reply_to', 'references', 'subject', 'page', 'manual'])
    .nullable()
    .describe('How the message found its dispute; null while unmatched'),
  from: z.string(),
  fromName: z.string().nullable(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable().describe('Sanitised: no script, style, remote image or handler'),
  attachments: z.array(
    z.object({ name: z.string(), size: z.number().int(), contentType: z.string() }),
  ),
  flagged: z
    .boolean()
    .describe('The sender is neither the dispute’s contact nor of the customer’s domain'),
  receivedAt: z.iso.datetime(),
});

const listQuery = z
  .object({
    disputeId: disputeId.optional(),
    unmatched: z
      .enum(['true', 'false'])
      .optional()
      .describe('true: only the review list of mail no dispute matched'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export function customerMessageRoutes({ db, policy, config, now }: AppDeps): AnyRoute[] {
  const clock = now ?? ((): Date => new Date());
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/customer-messages',
      summary: 'Customers’ messages, newest first: of one dispute, or the unmatched review list',
      tag: 'customer messages',
      roles: ROLES,
      query: listQuery,
      success: {
        status: 200,
        description: 'The messages',
        schema: z.object({ items: z.array(messageSchema) }),
      },
      links: {
        FileMessage: linkTo('POST', '/v1/customer-messages/:id/file', {
          id: '$response.body#/items/0/id',
        }),
      },
      handler: async ({ query }) => ({
        items: await listCustomerMessages(db, {
          limit: query.limit,
          ...(query.disputeId ? { disputeId: query.disputeId } : {}),
          unmatched: query.unmatched === 'true',
        }),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/customer-messages/:id/file',
      summary: 'File an unmatched message under a dispute (timeline and assignee notified)',
      tag: 'customer messages',
      roles: WORKERS,
      params: z.object({ id: z.uuid() }).strict(),
      body: z.object({ disputeId }).strict(),
      success: {
        status: 200,
        description: 'Filed',
        schema: z.object({ id: z.uuid(), disputeId }),
      },
      errors: [404, 409, 422],
      handler: async ({ params, body }) => {
        const outcome = await fileCustomerMessage(
          db,
          params.id,
          body.disputeId,
          (facts) => customerMessageNotice(facts, policy.contacts, config.MAIL_DOMAIN),
          clock(),
        );
        if (outcome === 'not_found') throw notFound(`Message ${params.id}`);
        if (outcome === 'no_dispute')
          throw unprocessable(`Dispute ${body.disputeId} does not exist`, [
            { path: '$.disputeId', message: 'no such dispute' },
          ]);
        if (outcome === 'already_filed')
          throw conflict('already_filed', `Message ${params.id} already belongs to a dispute`);
        return { id: params.id, disputeId: body.disputeId };
      },
    }),
  ];
}

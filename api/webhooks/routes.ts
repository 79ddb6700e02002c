// Webhook endpoints of billing systems: register (the secret is shown once), list, delete, and the
// delivery log with redeliver, so an operator can fix a broken receiver and replay.
import type { Role } from '../../config';
import { WEBHOOK_RETRY_WINDOW_MS } from '../../domain/webhooks';
import { findDelivery, listDeliveries, redeliver } from '../../store/webhooks/deliveries';
import {
  createEndpoint,
  deleteEndpoint,
  findEndpoint,
  listEndpoints,
} from '../../store/webhooks/endpoints';
import type { AppDeps } from '../http/deps';
import { conflict, notFound } from '../http/errors';
import { defineRoute, type AnyRoute } from '../http/route';
import {
  createdWebhookSchema,
  createWebhookBody,
  deliveryListSchema,
  deliveryParams,
  deliverySchema,
  listDeliveriesQuery,
  redeliverBody,
  redeliveredSchema,
  webhookIdParams,
  webhookListSchema,
  webhookSchema,
} from './schemas';
import { linkTo } from '../http/openapi';

const MANAGERS: readonly Role[] = ['manager'];
const READERS: readonly Role[] = ['manager', 'auditor'];

export function webhookRoutes({ db, now }: AppDeps): AnyRoute[] {
  const clock = now ?? ((): Date => new Date());
  const endpoint = async (id: string): Promise<void> => {
    if (!(await findEndpoint(db, id))) throw notFound(`Webhook ${id}`);
  };
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/webhooks',
      summary: 'Register a webhook endpoint; its signing secret is in this answer only',
      tag: 'webhooks',
      roles: MANAGERS,
      body: createWebhookBody,
      success: {
        status: 201,
        description: 'The endpoint with its signing secret',
        schema: createdWebhookSchema,
      },
      links: {
        GetWebhook: linkTo('GET', '/v1/webhooks/:id', { id: '$response.body#/id' }),
        DeleteWebhook: linkTo('DELETE', '/v1/webhooks/:id', { id: '$response.body#/id' }),
        GetWebhookDeliveries: linkTo('GET', '/v1/webhooks/:id/deliveries', {
          id: '$response.body#/id',
        }),
        RedeliverWebhook: linkTo('POST', '/v1/webhooks/:id/redeliver', {
          id: '$response.body#/id',
        }),
      },
      handler: async ({ body, caller }) =>
        createEndpoint(
          db,
          { url: body.url, events: body.events, description: body.description ?? null },
          caller.actor,
          clock(),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhooks',
      summary: 'Registered webhook endpoints (without their secrets)',
      tag: 'webhooks',
      roles: READERS,
      success: { status: 200, description: 'The endpoints', schema: webhookListSchema },
      links: {
        GetWebhook: linkTo('GET', '/v1/webhooks/:id', { id: '$response.body#/items/0/id' }),
        DeleteWebhook: linkTo('DELETE', '/v1/webhooks/:id', { id: '$response.body#/items/0/id' }),
        GetWebhookDeliveries: linkTo('GET', '/v1/webhooks/:id/deliveries', {
          id: '$response.body#/items/0/id',
        }),
        RedeliverWebhook: linkTo('POST', '/v1/webhooks/:id/redeliver', {
          id: '$response.body#/items/0/id',
        }),
      },
      handler: async () => ({ items: await listEndpoints(db) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhooks/:id',
      summary: 'A webhook endpoint (without its secret)',
      tag: 'webhooks',
      roles: READERS,
      params: webhookIdParams,
      success: { status: 200, description: 'The endpoint', schema: webhookSchema },
      errors: [404],
      handler: async ({ params }) => {
        const found = await findEndpoint(db, params.id);
        if (!found) throw notFound(`Webhook ${params.id}`);
        return found;
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/webhooks/:id',
      summary: 'Delete a webhook endpoint; its waiting deliveries are cancelled, its log kept',
      tag: 'webhooks',
      roles: MANAGERS,
      params: webhookIdParams,
      success: { status: 204, description: 'Deleted' },
      errors: [404],
      handler: async ({ params }) => {
        if (!(await deleteEndpoint(db, params.id, clock()))) throw notFound(`Webhook ${params.id}`);
        return null;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhooks/:id/deliveries',
      summary: 'The delivery log of an endpoint, newest event first: attempts, statuses, latency',
      tag: 'webhooks',
      roles: READERS,
      params: webhookIdParams,
      query: listDeliveriesQuery,
      success: { status: 200, description: 'A page of deliveries', schema: deliveryListSchema },
      links: {
        RedeliverDelivery: linkTo('POST', '/v1/webhooks/:id/deliveries/:deliveryId/redeliver', {
          id: '$request.path.id',
          deliveryId: '$response.body#/items/0/id',
        }),
      },
      errors: [404],
      handler: async ({ params, query }) => {
        await endpoint(params.id);
        const page = await listDeliveries(db, params.id, {
          limit: query.limit,
          ...(query.status ? { status: query.status } : {}),
          ...(query.cursor ? { beforeSeq: Number(query.cursor) } : {}),
        });
        return {
          items: page.items,
          nextCursor: page.nextBeforeSeq === null ? null : String(page.nextBeforeSeq),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
      summary: 'Send one delivery again (the receiver deduplicates by event id)',
      tag: 'webhooks',
      roles: MANAGERS,
      params: deliveryParams,
      success: { status: 202, description: 'Queued again', schema: deliverySchema },
      errors: [404, 409],
      handler: async ({ params }) => {
        await endpoint(params.id);
        const found = await findDelivery(db, params.id, params.deliveryId);
        if (!found) throw notFound(`Delivery ${params.deliveryId}`);
        const queued = await redeliver(
          db,
          { endpointId: params.id, ids: [params.deliveryId], statuses: ['failed', 'delivered'] },
          clock(),
          WEBHOOK_RETRY_WINDOW_MS,
        );
        if (queued === 0) {
          throw conflict(
            'delivery_waiting',
            `Delivery ${params.deliveryId} is ${found.status}; it is sent without a redeliver`,
            { status: found.status },
          );
        }
        return (await findDelivery(db, params.id, params.deliveryId))!;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhooks/:id/redeliver',
      summary: 'Queue an endpoint’s failed (or delivered) deliveries again, in event order',
      tag: 'webhooks',
      roles: MANAGERS,
      params: webhookIdParams,
      body: redeliverBody,
      success: { status: 202, description: 'How many were queued', schema: redeliveredSchema },
      errors: [404],
      handler: async ({ params, body }) => {
        await endpoint(params.id);
        const queued = await redeliver(
          db,
          { endpointId: params.id, statuses: body.status },
          clock(),
          WEBHOOK_RETRY_WINDOW_MS,
        );
        return { queued };
      },
    }),
  ];
}

// Webhooks end to end on the real Temporal dev server: a billing system's receiver on loopback
// verifies every signature; a full dispute's events arrive exactly once after deduplication and in
// order; a receiver that is down gets everything once it is back; a wrong secret is refused by the
// receiver's own check, and the delivery log and redeliver let an operator replay.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/database';
import {
  importSample,
  openDispute,
  terminateQuietly,
  type OpenedDispute,
} from '../support/disputes';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv, waitFor } from '../support/temporal';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { jsonLog } from '../../workers/json-log';
import { startWebhookDispatcher, type WebhookDispatcher } from '../../workers/webhook-dispatcher';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhooks';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe.each(DATABASE_KINDS)('webhooks (%s)', (kind) => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let dispatcher: WebhookDispatcher;
  let endpoint: { id: string; secret: string };
  const disputes: OpenedDispute[] = [];

  const phase = async (id: string): Promise<string> =>
    (await stack.call('GET', `/v1/disputes/${id}`)).body.phase;
  const eventsOf = async (disputeId: string) =>
    stack.database.db.webhookEvent.findMany({ where: { disputeId }, orderBy: { seq: 'asc' } });
  const arrivedFor = (disputeId: string) =>
    receiver.events.filter((e) => e.data.disputeId === disputeId);
  const allArrived = (disputeId: string) =>
    waitFor(
      async () => {
        const expected = (await eventsOf(disputeId)).map((e) => e.id);
        const got = arrivedFor(disputeId).map((e) => e.id);
        return expected.length > 0 && expected.every((id) => got.includes(id)) && { expected, got };
      },
      { what: `every event of ${disputeId} at the receiver`, timeoutMs: 60_000, intervalMs: 100 },
    );

  beforeAll(async () => {
    stack = await startStack(env, kind);
    await importSample(stack);
    receiver = await startWebhookReceiver();
    const created = await stack.call('POST', '/v1/webhooks', {
      role: 'manager',
      body: { url: receiver.url, events: [...WEBHOOK_EVENT_TYPES], description: 'Billing system' },
    });
    expect(created.status).toBe(201);
    endpoint = created.body;
    receiver.setSecret(endpoint.secret);
    dispatcher = startWebhookDispatcher({
      db: stack.database.db,
      log: jsonLog('webhooks', 'silent'),
      pollMs: 50,
    });
  });
  afterAll(async () => {
    await dispatcher?.stop();
    for (const d of disputes) await terminateQuietly(d);
    await receiver?.stop();
    await stack?.stop();
  });

  it('registers endpoints with a secret shown once, validates URLs, lists and deletes them', async () => {
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await stack.call('GET', '/v1/webhooks', { role: 'auditor' });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((w: any) => w.id)).toContain(endpoint.id);
    expect(JSON.stringify(listed.body)).not.toContain(endpoint.secret);
    for (const url of [
      'ftp://billing.example/hooks',
      'https://user:pass@billing.example/hooks',
      'javascript:alert(1)',
      'not a url',
    ]) {
      const refused = await stack.call('POST', '/v1/webhooks', {
        body: { url, events: ['dispute.opened'] },
      });
      expect({ url, status: refused.status }).toEqual({ url, status: 400 });
    }
    const byAgent = await stack.call('POST', '/v1/webhooks', {
      role: 'agent',
      body: { url: receiver.url, events: ['dispute.opened'] },
    });
    expect(byAgent.status).toBe(403);
    const extra = await stack.call('POST', '/v1/webhooks', {
      body: { url: `${receiver.url}?second`, events: ['dispute.closed'] },
    });
    const deleted = await stack.call('DELETE', `/v1/webhooks/${extra.body.id}`);
    expect(deleted.status).toBe(204);
    expect((await stack.call('GET', `/v1/webhooks/${extra.body.id}`)).status).toBe(404);
    expect((await stack.call('DELETE', `/v1/webhooks/${extra.body.id}`)).status).toBe(404);
  });

  it('delivers every event of a full dispute once, in order, with the hold and the documents', async () => {
    const dispute = await openDispute(stack, 'INV-2001', 'pricing_error');
    disputes.push(dispute);
    await waitFor(async () => (await phase(dispute.id)) === 'awaiting_decision', {
      what: 'awaiting_decision',
      timeoutMs: 30_000,
    });
    const invoice = await stack.call('GET', '/v1/invoices/INV-2001', { role: 'auditor' });
    expect(invoice.status).toBe(200);
    expect(invoice.body.hold).toMatchObject({ disputeId: dispute.id });
    const amount = { amount: '3066.19', currency: 'USD' };
    expect(
      (
        await stack.call('POST', `/v1/disputes/${dispute.id}/decision`, {
          body: { resolution: 'refund', amount },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await stack.call('POST', `/v1/disputes/${dispute.id}/customer-response`, {
          role: 'agent',
          body: { accepted: true },
        })
      ).status,
    ).toBe(200);
    await waitFor(async () => (await phase(dispute.id)) === 'monitoring', {
      what: 'monitoring',
      timeoutMs: 30_000,
    });
    const { expected, got } = await allArrived(dispute.id);
    // Exactly once after deduplication, in the order they were committed.
    expect(got).toEqual(expected);
    const types = arrivedFor(dispute.id).map((e) => e.type);
    expect(types[0]).toBe('dispute.opened');
    expect(types).toEqual(
      expect.arrayContaining([
        'dispute.phase_changed',
        'invoice.hold_changed',
        'adjustment.posted',
      ]),
    );
    const phases = arrivedFor(dispute.id)
      .filter((e) => e.type === 'dispute.phase_changed')
      .map((e) => e.data.to);
    expect(phases.slice(-3)).toEqual(['awaiting_customer', 'correcting', 'monitoring']);
    const holds = arrivedFor(dispute.id).filter((e) => e.type === 'invoice.hold_changed');
    expect(holds[0]!.data).toMatchObject({ cause: 'opened', previous: null });
    expect(holds.at(-1)!.data).toMatchObject({ cause: 'corrected', hold: null });
    const posted = arrivedFor(dispute.id).find((e) => e.type === 'adjustment.posted')!;
    expect(posted.data.documents.map((d: any) => d.kind).sort()).toEqual(['credit_note', 'refund']);
    for (const d of posted.data.documents) expect(d.amount).toEqual(amount);
    expect((await stack.call('GET', '/v1/invoices/INV-2001')).body.hold).toBeNull();

    // The receiver has every event; the dispatcher records each answer just after it came.
    const deliveries = async (): Promise<any[]> => {
      const log = await stack.call('GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=200`, {
        role: 'auditor',
      });
      expect(log.status).toBe(200);
      return log.body.items.filter((d: any) => d.disputeId === dispute.id);
    };
    await waitFor(async () => (await deliveries()).every((d) => d.status === 'delivered'), {
      what: 'every delivery recorded as delivered',
      timeoutMs: 10_000,
    });
    const ours = await deliveries();
    expect(ours).toHaveLength(expected.length);
    for (const d of ours) {
      expect(d.status).toBe('delivered');
      expect(d.log.at(-1)).toMatchObject({ statusCode: 204, error: null });
    }
  });

  it('delivers everything after a receiver outage, in order', async () => {
    receiver.setDown(true);
    const dispute = await openDispute(stack, 'INV-1001', 'pricing_error');
    disputes.push(dispute);
    await waitFor(async () => (await eventsOf(dispute.id)).length >= 3, {
      what: 'events while the receiver is down',
      timeoutMs: 30_000,
    });
    await waitFor(
      async () =>
        (await stack.database.db.webhookAttempt.count({
          where: { statusCode: 503, delivery: { event: { disputeId: dispute.id } } },
        })) >= 2,
      { what: 'failed attempts during the outage', timeoutMs: 30_000 },
    );
    expect(arrivedFor(dispute.id)).toHaveLength(0);
    receiver.setDown(false);
    const { expected, got } = await allArrived(dispute.id);
    expect(got.slice(0, expected.length)).toEqual(expected);
  });

  it('is refused by a receiver with the wrong secret, and replays after the fix', async () => {
    receiver.setSecret('whsec_not-the-right-secret');
    const refusedBefore = receiver.refused;
    const dispute = await openDispute(stack, 'INV-3001', 'pricing_error');
    disputes.push(dispute);
    await waitFor(async () => receiver.refused > refusedBefore, {
      what: 'a delivery refused for its signature',
      timeoutMs: 30_000,
    });
    expect(arrivedFor(dispute.id)).toHaveLength(0);
    // The log shows the receiver's 401s (the delivery itself may be pending or being retried).
    const log = await stack.call('GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=200`, {
      role: 'auditor',
    });
    expect(log.body.items.some((d: any) => d.log.some((a: any) => a.statusCode === 401))).toBe(
      true,
    );

    // The operator gives the waiting deliveries up, fixes the receiver and replays them.
    await stack.database.db.webhookDelivery.updateMany({
      where: { endpointId: endpoint.id, status: { in: ['pending', 'delivering'] } },
      data: { status: 'failed' },
    });
    receiver.setSecret(endpoint.secret);
    const replay = await stack.call('POST', `/v1/webhooks/${endpoint.id}/redeliver`, {
      body: {},
    });
    expect(replay.status).toBe(202);
    expect(replay.body.queued).toBeGreaterThan(0);
    const { expected, got } = await allArrived(dispute.id);
    expect(got.slice(0, expected.length)).toEqual(expected);

    const one = (await stack.call('GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=1`)).body
      .items[0];
    const again = await stack.call(
      'POST',
      `/v1/webhooks/${endpoint.id}/deliveries/${one.id}/redeliver`,
    );
    expect([202, 409]).toContain(again.status);
  });
});

// SMTP down while a dispute opens: the dispute moves on, the acknowledgement waits in the outbox
// and Temporal retries it with backoff; once SMTP is back every message arrives exactly once.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/database';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv, waitFor } from '../support/temporal';
import { sampleBundle } from '../support/sample-data';

const bundle: unknown = sampleBundle();

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const types = (dispute: { timeline: { type: string }[] }): string[] =>
  dispute.timeline.map((e) => e.type);

describe.each(DATABASE_KINDS)('SMTP outage on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(env, kind);
    expect(
      (await stack.call('POST', '/v1/import', { role: 'operations', body: bundle })).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lets the dispute move on while SMTP is down and delivers every message once it is back', async () => {
    const { db } = stack.database;
    await stack.catcher.pause({ graceMs: 0 });
    let id: string;
    try {
      const opened = await stack.call('POST', '/v1/disputes', {
        role: 'agent',
        body: {
          customerId: 'C-100',
          invoiceId: 'INV-1001',
          reason: 'pricing_error',
          description: 'Unit price of the switches is above our contract',
          contact: { name: 'Dana Lee', email: 'dana@example.com' },
        },
      });
      expect(opened.status).toBe(201);
      id = opened.body.id;

      // The dispute goes through investigation and on (to a phase that waits on a person)...
      const moved = await waitFor(
        async () => {
          const got = await stack.call('GET', `/v1/disputes/${id}`, { role: 'auditor' });
          const past = !['acknowledging', 'investigating'].includes(got.body.phase);
          return past && types(got.body).includes('investigated') && got.body;
        },
        { what: 'the dispute to be investigated and move on', timeoutMs: 30_000, intervalMs: 100 },
      );
      expect(moved.verdict).not.toBeNull();
      expect(types(moved)).toEqual(
        expect.arrayContaining(['opened', 'email_queued', 'acknowledged']),
      );
      expect(types(moved)).not.toContain('email_sent');

      // ...while the acknowledgement sits in the outbox after a failed attempt,
      const ack = await waitFor(
        async () => {
          const row = await db.outboxMessage.findFirst({
            where: { disputeId: id, kind: 'acknowledgement' },
          });
          const failed = row?.status === 'pending' && row.attempts >= 1 && row.lastError !== null;
          return failed ? row : false;
        },
        { what: 'a failed delivery attempt', timeoutMs: 15_000, intervalMs: 100 },
      );
      expect(ack).toMatchObject({ sentAt: null, inReplyTo: `<dispute-${id}@settle.test>` });
      expect(ack.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);

      // and Temporal holds its delivery as a pending activity waiting for the next retry.
      const description = await env.client.workflow.getHandle(`dispute-${id}`).describe();
      const pending = (description.raw.pendingActivities ?? []).filter(
        (activity) => activity.activityType?.name === 'deliverEmail',
      );
      expect(pending.length).toBeGreaterThanOrEqual(1);
      expect(pending[0]!.attempt).toBeGreaterThanOrEqual(2);
      expect(pending[0]!.lastFailure?.message).toBeTruthy();
      expect(stack.catcher.messages().filter((m) => m.subject.includes(id))).toHaveLength(0);
    } finally {
      await stack.catcher.resume();
    }

    // The next retry (5 s after the first failure, doubling) finds SMTP up.
    const ackMail = await stack.catcher.waitFor((m) => m.subject.includes(id), {
      timeoutMs: 30_000,
    });
    expect(ackMail.to).toEqual(['dana@example.com']);
    expect(ackMail.references).toEqual([`<dispute-${id}@settle.test>`]);

    // Settle: every queued message sent, and no delivery left in Temporal.
    const handle = env.client.workflow.getHandle(`dispute-${id}`);
    const rows = await waitFor(
      async () => {
        const all = await db.outboxMessage.findMany({ where: { disputeId: id } });
        const described = await handle.describe();
        const deliveries = (described.raw.pendingActivities ?? []).filter(
          (activity) => activity.activityType?.name === 'deliverEmail',
        );
        return (
          all.length > 0 &&
          all.every((row) => row.status === 'sent') &&
          deliveries.length === 0 &&
          all
        );
      },
      { what: 'every queued message to be sent', timeoutMs: 60_000, intervalMs: 200 },
    );

    const arrived = stack.catcher.messages().filter((m) => m.subject.includes(id));
    const counts = new Map<string, number>();
    for (const message of arrived)
      counts.set(message.messageId ?? '', (counts.get(message.messageId ?? '') ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(rows.map((row) => row.id).sort());
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    const retried = rows.find((row) => row.kind === 'acknowledgement')!;
    expect(retried.attempts).toBeGreaterThanOrEqual(2);
    expect(retried.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);

    const final = await stack.call('GET', `/v1/disputes/${id}`, { role: 'auditor' });
    expect(types(final.body).filter((type) => type === 'email_sent')).toHaveLength(rows.length);
  });
});

// Issue 13, item 10 on the time-skipping server: an email no attempt could deliver in three days
// is marked failed in the outbox and on the timeline, the dispute goes on, and a manager resends
// it through the worker's outbox relay.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../domain/calendar';
import { DEFAULT_POLICY } from '../../domain/policy';
import { startOutboxRelay } from '../../workers/outbox-relay';
import { customerBundle, openInPhase } from '../support/api-fixtures';
import { startStack, type Stack } from '../support/stack';
import { startTimeSkippingEnv, waitFor } from '../support/temporal';

// Three days of refused SMTP on a skipping clock are hundreds of expected retry warnings.
process.env.TEMPORAL_TEST_LOG_LEVEL ??= 'ERROR';

const CUSTOMER = 'C-MAIL';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let env: TestWorkflowEnvironment;
let stack: Stack;

beforeAll(async () => {
  env = await startTimeSkippingEnv();
  stack = await startStack(env, 'sqlite', DEFAULT_POLICY);
  const imported = await stack.call('POST', '/v1/import', {
    role: 'operations',
    body: customerBundle(CUSTOMER, [{ id: 'I-MAIL', billed: '700.00' }]),
  });
  expect(imported.status).toBe(200);
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
});

describe('an email undelivered for three days', { timeout: 300_000 }, () => {
  it('is marked failed on the timeline, and a manager resends it', async () => {
    await stack.catcher.pause({ graceMs: 0 });
    const dispute = await openInPhase(stack, CUSTOMER, 'I-MAIL', 'awaiting_decision');
    const db = stack.database.db;
    const acknowledgement = await db.outboxMessage.findFirstOrThrow({
      where: { disputeId: dispute.id, kind: 'acknowledgement' },
    });

    // Retries back off to ten minutes; the activity's three days run out on the server's clock.
    await env.sleep(3 * DAY_MS + 3_600_000);
    const failed = await waitFor(
      async () => {
        const row = await db.outboxMessage.findUniqueOrThrow({
          where: { id: acknowledgement.id },
        });
        return row.status === 'failed' && row;
      },
      { what: 'the acknowledgement marked failed', timeoutMs: 60_000 },
    );
    expect(failed.lastError).toMatch(/^not delivered within 3 days/);
    // The findings email, refused as well, may be marked failed first: look for this one's event.
    const timeline = (await stack.call('GET', `/v1/disputes/${dispute.id}`)).body.timeline;
    expect(
      timeline.find(
        (e: any) => e.type === 'email_failed' && e.data?.messageId === acknowledgement.id,
      ),
    ).toMatchObject({ data: { kind: 'acknowledgement', messageId: acknowledgement.id } });
    expect((await env.client.workflow.getHandle(dispute.workflowId).describe()).status.name).toBe(
      'RUNNING',
    );

    await stack.catcher.resume();
    const relay = startOutboxRelay({
      db,
      mailer: nodemailer.createTransport(stack.catcher.smtpUrl),
      from: 'Settle <disputes@settle.test>',
      log: quiet,
      pollMs: 100,
    });
    try {
      const url = `/v1/disputes/${dispute.id}/emails/${encodeURIComponent(acknowledgement.id)}/resend`;
      expect((await stack.call('POST', url, { role: 'agent' })).status).toBe(403);
      const resent = await stack.call('POST', url, { role: 'manager' });
      expect(resent.status).toBe(202);
      expect((await stack.call('POST', url, { role: 'manager' })).status).toBe(409);
      await stack.catcher.waitFor((m) => m.messageId === acknowledgement.id, {
        timeoutMs: 30_000,
      });
      await waitFor(
        async () =>
          (await db.outboxMessage.findUniqueOrThrow({ where: { id: acknowledgement.id } }))
            .status === 'sent',
        { what: 'the resent acknowledgement marked sent', timeoutMs: 30_000 },
      );
      const types = (await stack.call('GET', `/v1/disputes/${dispute.id}`)).body.timeline.map(
        (e: any) => e.type,
      );
      expect(types).toEqual(
        expect.arrayContaining(['email_failed', 'email_resend_requested', 'email_sent']),
      );
      const unknown = `/v1/disputes/${dispute.id}/emails/no-such-message/resend`;
      expect((await stack.call('POST', unknown, { role: 'manager' })).status).toBe(404);
    } finally {
      await relay.stop();
    }
  });
});

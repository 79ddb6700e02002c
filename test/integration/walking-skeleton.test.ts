// One dispute through real components: the Temporal dev server, SQLite and PostgreSQL,
// SMTP on loopback and the HTTP API.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../../config';
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

describe.each(DATABASE_KINDS)('walking skeleton on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(env, kind);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('runs the worker with the configured sticky cache bound', () => {
    // Without the bound the SDK sizes the cache from the heap: thousands of workflows, and the
    // worker's memory grows with every dispute waiting in monitoring.
    expect(stack.config.WORKER_MAX_CACHED_WORKFLOWS).toBe(DEFAULT_MAX_CACHED_WORKFLOWS);
    expect(stack.worker.options.maxCachedWorkflows).toBe(DEFAULT_MAX_CACHED_WORKFLOWS);
    expect(stack.worker.options.tuner).toMatchObject({
      workflowTaskSlotSupplier: { type: 'fixed-size', numSlots: 40 },
    });
  });

  it('imports the sample bundle, opens a dispute, acknowledges it by email', async () => {
    const imported = await stack.call('POST', '/v1/import', { role: 'operations', body: bundle });
    expect(imported.status).toBe(200);
    expect(imported.body.invoices).toBeGreaterThan(0);

    const opened = await stack.call('POST', '/v1/disputes', {
      role: 'agent',
      body: {
        customerId: 'C-200',
        invoiceId: 'INV-2001',
        reason: 'pricing_error',
        description: 'Unit price of the switches is above our contract',
        contact: { name: 'Dana Lee', email: 'dana@example.com' },
      },
    });
    expect(opened.status).toBe(201);
    const id: string = opened.body.id;
    expect(id).toMatch(/^D-[0-9A-Z]{10}$/);
    expect(opened.body.workflowId).toBe(`dispute-${id}`);
    expect(opened.body.timeline[0]).toMatchObject({
      type: 'opened',
      actor: expect.stringMatching(/^agent:/),
    });

    const mail = await stack.catcher.waitFor((m) => m.subject.includes(id), { timeoutMs: 30_000 });
    expect(mail.to).toContain('dana@example.com');
    expect(mail.references).toContain(`<dispute-${id}@settle.test>`);
    expect(mail.text).toContain(id);

    const dispute = await waitFor(
      async () => {
        const got = await stack.call('GET', `/v1/disputes/${id}`, { role: 'auditor' });
        const types: string[] = got.body.timeline.map((e: { type: string }) => e.type);
        return types.includes('acknowledged') && got.body.verdict !== null && got.body;
      },
      { what: 'acknowledged and investigated', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(dispute.timeline.map((e: { type: string }) => e.type).slice(0, 2)).toEqual([
      'opened',
      'email_queued',
    ]);
    expect(['awaiting_decision', 'awaiting_review']).toContain(dispute.phase);

    const description = await env.client.workflow.getHandle(`dispute-${id}`).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.taskQueue).toBe(stack.taskQueue);
  });
});

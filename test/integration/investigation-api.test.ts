// Issue 4's end-to-end check: bundle.json imported through the API, a dispute opened on each
// invoice, and GET /v1/disputes/{id} answering exactly the findings of expected.json — through the
// real worker, Temporal dev server, SQLite and PostgreSQL.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/database';
import { CUSTOMER_OF, importSample } from '../support/disputes';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv, waitFor } from '../support/temporal';
import { sampleExpected } from '../support/sample-data';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const invoices = Object.keys(sampleExpected);

describe.each(DATABASE_KINDS)('investigation through the API on %s', (kind) => {
  let stack: Stack;
  const disputeOf = new Map<string, string>();

  beforeAll(async () => {
    stack = await startStack(env, kind);
    await importSample(stack);
    for (const invoiceId of invoices) {
      const opened = await stack.call('POST', '/v1/disputes', {
        role: 'agent',
        body: {
          customerId: CUSTOMER_OF[invoiceId],
          invoiceId,
          // Not a review reason, so the verdict is the rules' own, as in expected.json.
          reason: 'pricing_error',
          description: `Please check invoice ${invoiceId}`,
          contact: { name: 'Dana Lee', email: 'dana@example.com' },
        },
      });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      disputeOf.set(invoiceId, opened.body.id);
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each(invoices)('%s: GET returns the findings of expected.json', async (invoiceId) => {
    const id = disputeOf.get(invoiceId)!;
    const dispute = await waitFor(
      async () => {
        const got = await stack.call('GET', `/v1/disputes/${id}`, { role: 'auditor' });
        return got.status === 200 && got.body.verdict !== null && got.body;
      },
      { what: `the investigation of ${invoiceId}`, timeoutMs: 30_000, intervalMs: 100 },
    );
    const expected = sampleExpected[invoiceId]!;
    const currency: string = dispute.totalDelta.currency;
    expect(
      dispute.findings.map((f: any) => ({
        rule: f.rule,
        invoiceId: f.invoiceId,
        lineId: f.lineId,
        expected: f.expected,
        actual: f.actual,
        delta: f.delta,
      })),
    ).toEqual(
      expected.findings.map((f) => ({
        rule: f.rule,
        invoiceId,
        lineId: f.lineId,
        expected: f.expected,
        actual: f.actual,
        delta: { amount: f.delta, currency },
      })),
    );
    expect(dispute.totalDelta).toEqual({ amount: expected.totalDelta, currency });
    expect(dispute.verdict).toBe(expected.verdict);
    for (const finding of dispute.findings) expect(finding.explanation).toMatch(/^[A-Z].*\.$/);
  });
});

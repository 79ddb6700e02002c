// The happy path on the real Temporal dev server, through the HTTP API, on SQLite and PostgreSQL:
// an overcharged, paid invoice is refunded and the dispute reaches monitoring with one credit note
// and one refund, each of the agreed amount, and the ledger's invariants hold.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInDatabase } from '../../store/ledger/snapshot';
import { DATABASE_KINDS } from '../support/database';
import {
  importSample,
  mailsOf,
  openDispute,
  terminateQuietly,
  type OpenedDispute,
} from '../support/disputes';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv, waitFor } from '../support/temporal';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe.each(DATABASE_KINDS)('happy path on the dev server (%s)', (kind) => {
  let stack: Stack;
  let dispute: OpenedDispute | undefined;
  beforeAll(async () => {
    stack = await startStack(env, kind);
    await importSample(stack);
  });
  afterAll(async () => {
    if (dispute) await terminateQuietly(dispute);
    await stack?.stop();
  });

  it('refunds an overcharged, paid invoice and monitors the account', async () => {
    dispute = await openDispute(stack, 'INV-2001', 'pricing_error');
    const phase = async (): Promise<string> =>
      (await stack.call('GET', `/v1/disputes/${dispute!.id}`)).body.phase;
    await waitFor(async () => (await phase()) === 'awaiting_decision', {
      what: 'awaiting_decision',
      timeoutMs: 30_000,
    });

    const assigned = await stack.call('POST', `/v1/disputes/${dispute.id}/assign`, {
      role: 'agent',
      body: { assignee: 'agent-7' },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignee).toBe('agent-7');

    // Above the agent limit: the manager decides it directly.
    const amount = { amount: '3066.19', currency: 'USD' };
    const decided = await stack.call('POST', `/v1/disputes/${dispute.id}/decision`, {
      role: 'manager',
      body: {
        resolution: 'refund',
        amount,
        explanation: 'Contract prices and the earned discounts apply.',
      },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.phase).toBe('awaiting_customer');

    const accepted = await stack.call('POST', `/v1/disputes/${dispute.id}/customer-response`, {
      role: 'agent',
      body: { accepted: true, comment: 'Agreed by phone' },
    });
    expect(accepted.status).toBe(200);
    await waitFor(async () => (await phase()) === 'monitoring', {
      what: 'monitoring',
      timeoutMs: 30_000,
    });

    const final = (await stack.call('GET', `/v1/disputes/${dispute.id}`)).body;
    expect(final.adjustments.map((a: { kind: string }) => a.kind).sort()).toEqual([
      'credit_note',
      'refund',
    ]);
    for (const adjustment of final.adjustments) expect(adjustment.amount).toEqual(amount);
    expect(final.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining([
        'opened',
        'acknowledged',
        'investigated',
        'assigned',
        'decided',
        'customer_accepted',
        'corrected',
      ]),
    );
    for (const event of final.timeline.filter((e: { type: string }) =>
      ['assigned', 'decided'].includes(e.type),
    )) {
      expect(event.actor).toMatch(/^(agent|manager):/);
    }

    const report = await checkLedgerInDatabase(stack.database.db);
    expect(report.violations).toEqual([]);

    const ledger = await stack.call('GET', '/v1/customers/C-200/ledger', { role: 'auditor' });
    expect(ledger.status).toBe(200);

    // Acknowledgement, findings, offer and the correction confirmation reached the customer.
    await waitFor(
      async () =>
        mailsOf(stack, dispute!.id).filter((m) => m.to.includes('dana@example.com')).length >= 4 ||
        undefined,
      {
        what: 'four customer emails',
        timeoutMs: 30_000,
      },
    );
  });
});

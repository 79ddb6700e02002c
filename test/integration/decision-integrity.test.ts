// Issue 10, items 3, 5, 6 and 7 on the real stack (dev server, SQLite, SMTP on loopback): every
// check posting makes runs when the decision is made; a posting refused later sends the dispute
// back to a decision instead of failing it; a manager reverses a posted correction; a retried open
// never restarts a dispute whose workflow ended.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../domain/policy';
import { customerBundle, disputeBody, openInPhase, waitForPhase } from '../support/api-fixtures';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv } from '../support/temporal';

const CUSTOMER = 'C-INTEGRITY';
const usd = (amount: string): { amount: string; currency: string } => ({ amount, currency: 'USD' });

// Billed unit prices against a contract price of 100.00: 700.00 is a 600.00 overcharge (above the
// auto-approve limit, so a person decides), 40.00 a 60.00 undercharge (above the write-off limit).
const INVOICES = [
  { id: 'I-ABOVE', billed: '700.00' },
  { id: 'I-DRIFT', billed: '700.00' },
  { id: 'I-UNDER', billed: '40.00' },
  { id: 'I-REVERSE', billed: '700.00' },
  { id: 'I-ENDED', billed: '700.00' },
];

let env: TestWorkflowEnvironment;
let stack: Stack;

beforeAll(async () => {
  env = await startDevServerEnv();
  // One round: a rejection goes straight to mediation.
  stack = await startStack(env, 'sqlite', { ...DEFAULT_POLICY, maxRounds: 1 });
  const imported = await stack.call('POST', '/v1/import', {
    role: 'operations',
    body: customerBundle(CUSTOMER, INVOICES),
  });
  expect(imported.status).toBe(200);
});
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
});

async function act(
  id: string,
  path: string,
  body: unknown,
  role: 'agent' | 'manager' = 'manager',
): Promise<{ status: number; body: any }> {
  return stack.call('POST', `/v1/disputes/${id}/${path}`, { role, body });
}

async function dispute(id: string): Promise<any> {
  return (await stack.call('GET', `/v1/disputes/${id}`, { role: 'auditor' })).body;
}

async function workflowStatus(id: string): Promise<string> {
  const d = await dispute(id);
  return (await env.client.workflow.getHandle(d.workflowId).describe()).status.name;
}

/** Waits for a message to `address` whose subject contains `text`. */
async function mailTo(address: string, text: string): Promise<void> {
  await stack.catcher.waitFor((m) => m.to.includes(address) && m.subject.includes(text), {
    timeoutMs: 20_000,
  });
}

describe('a decision is checked against the ledger when it is made (item 5)', () => {
  it('refuses a credit above what the findings justify with 422, and changes nothing', async () => {
    const d = await openInPhase(stack, CUSTOMER, 'I-ABOVE', 'awaiting_decision');
    // A manager's own decision needs no approval: only the ledger's guard stands in the way.
    const above = await act(d.id, 'decision', { resolution: 'credit_note', amount: usd('900.00') });
    expect(above.status).toBe(422);
    expect(above.body.error.message).toMatch(/600\.00|exceed|more than/i);
    const after = await dispute(d.id);
    expect(after.phase).toBe('awaiting_decision');
    expect(after.offer).toBeNull();
    expect(after.timeline.some((e: any) => e.type === 'decided')).toBe(false);

    const wrongWay = await act(d.id, 'decision', {
      resolution: 'debit_note',
      amount: usd('600.00'),
    });
    expect(wrongWay.status).toBe(422);

    const fits = await act(d.id, 'decision', { resolution: 'credit_note', amount: usd('600.00') });
    expect(fits.status).toBe(200);
    expect(fits.body.phase).toBe('awaiting_customer');
    expect(await workflowStatus(d.id)).toBe('RUNNING');
  });

  it('refuses a mediated payment plan without installments, then posts one with them', async () => {
    const d = await openInPhase(stack, CUSTOMER, 'I-UNDER', 'awaiting_decision');
    expect(d.verdict).toBe('undercharged');
    const credit = await act(d.id, 'decision', { resolution: 'credit_note', amount: usd('60.00') });
    expect(credit.status).toBe(422);
    expect(
      (await act(d.id, 'decision', { resolution: 'debit_note', amount: usd('60.00') })).status,
    ).toBe(200);
    const rejected = await act(d.id, 'customer-response', { accepted: false, comment: 'Too much' });
    expect(rejected.body.phase).toBe('mediation');

    const noCount = await act(d.id, 'mediation-outcome', {
      agreed: true,
      resolution: 'payment_plan',
      amount: usd('60.00'),
    });
    expect(noCount.status).toBe(422);
    expect(noCount.body.error.message).toMatch(/installments/);
    const tooMuch = await act(d.id, 'mediation-outcome', {
      agreed: true,
      resolution: 'payment_plan',
      amount: usd('600.00'),
      installments: 3,
    });
    expect(tooMuch.status).toBe(422);
    expect((await dispute(d.id)).phase).toBe('mediation');

    const agreed = await act(d.id, 'mediation-outcome', {
      agreed: true,
      resolution: 'payment_plan',
      amount: usd('60.00'),
      installments: 3,
    });
    expect(agreed.status).toBe(200);
    const monitored = await waitForPhase(stack, d.id, 'monitoring');
    const plan = monitored.adjustments.find((a: any) => a.kind === 'payment_plan');
    expect(plan.installments).toHaveLength(3);
    expect(plan.amount).toEqual(usd('60.00'));
  });
});

describe('a posting refused after the decision (item 6)', () => {
  it('sends the dispute back to awaiting_decision, tells the team, and can be worked again', async () => {
    const d = await openInPhase(stack, CUSTOMER, 'I-DRIFT', 'awaiting_decision');
    const offered = await act(d.id, 'decision', {
      resolution: 'credit_note',
      amount: usd('600.00'),
    });
    expect(offered.body.phase).toBe('awaiting_customer');
    // The billing team fixes the invoice at the source: the rules now find nothing to credit.
    const fixed = await stack.call('POST', '/v1/import', {
      role: 'operations',
      body: customerBundle(CUSTOMER, [{ id: 'I-DRIFT', billed: '100.00' }]),
    });
    expect(fixed.status).toBe(200);

    expect((await act(d.id, 'customer-response', { accepted: true })).status).toBe(200);
    const back = await waitForPhase(stack, d.id, 'awaiting_decision');
    expect(back.adjustments).toEqual([]);
    expect(back.offer).toBeNull();
    expect(back.timeline.find((e: any) => e.type === 'correction_failed')).toMatchObject({
      data: { type: 'UnjustifiedCorrection' },
    });
    expect(await workflowStatus(d.id)).toBe('RUNNING');
    await mailTo('agents@settle.local', 'could not be posted');
    await mailTo('team-lead@settle.local', 'could not be posted');

    // Worked again: a rejection closes it, since nothing is wrong any more.
    const closed = await act(d.id, 'decision', {
      resolution: 'reject',
      explanation: 'The invoice was corrected at the source',
    });
    expect(closed.status).toBe(200);
    expect(closed.body.phase).toBe('closed');
  });
});

describe('a manager reverses a posted correction (item 3)', () => {
  it('posts the mirror of each document, tells the customer, and awaits a new decision', async () => {
    const d = await openInPhase(stack, CUSTOMER, 'I-REVERSE', 'awaiting_decision');
    await act(d.id, 'decision', { resolution: 'credit_note', amount: usd('600.00') });
    await act(d.id, 'customer-response', { accepted: true });
    const monitored = await waitForPhase(stack, d.id, 'monitoring');
    const credit = monitored.adjustments.find((a: any) => a.kind === 'credit_note');
    expect(credit.amount).toEqual(usd('600.00'));

    const byAgent = await act(
      d.id,
      'reverse',
      { documentNumber: credit.documentNumber, reason: 'Wrong line credited' },
      'agent',
    );
    expect(byAgent.status).toBe(403);
    const unknown = await act(d.id, 'reverse', {
      documentNumber: 'CN-999999',
      reason: 'Wrong line credited',
    });
    expect(unknown.status).toBe(422);
    expect((await dispute(d.id)).phase).toBe('monitoring');

    const reversed = await act(d.id, 'reverse', {
      documentNumber: credit.documentNumber,
      reason: 'Wrong line credited',
    });
    expect(reversed.status).toBe(200);
    expect(reversed.body.phase).toBe('awaiting_decision');
    const reversal = reversed.body.adjustments.find((a: any) => a.kind === 'reversal');
    expect(reversal).toMatchObject({
      amount: usd('600.00'),
      details: { reverses: credit.documentNumber, reason: 'Wrong line credited' },
    });
    // The original stays in the ledger, untouched.
    expect(reversed.body.adjustments.find((a: any) => a.id === credit.id)).toMatchObject({
      documentNumber: credit.documentNumber,
      amount: usd('600.00'),
    });
    await mailTo('dana@example.com', 'reversed the correction of invoice I-REVERSE');

    const twice = await act(d.id, 'reverse', {
      documentNumber: credit.documentNumber,
      reason: 'Again',
    });
    expect(twice.status).toBe(409);
    // The invoice is wrong again by the whole overcharge, so the same credit may be decided anew.
    const again = await act(d.id, 'decision', { resolution: 'credit_note', amount: usd('600.00') });
    expect(again.status).toBe(200);
    expect(again.body.phase).toBe('awaiting_customer');
  });
});

describe('opening again a dispute whose workflow ended (item 7)', () => {
  it('answers the retried request with the dispute as it stands and starts no new run', async () => {
    const headers = { 'idempotency-key': 'ended-dispute-1' };
    const body = disputeBody(CUSTOMER, 'I-ENDED');
    const opened = await stack.call('POST', '/v1/disputes', { role: 'agent', body, headers });
    expect(opened.status).toBe(201);
    await waitForPhase(stack, opened.body.id, 'awaiting_decision');
    const handle = env.client.workflow.getHandle(opened.body.workflowId);
    const { runId } = await handle.describe();
    await handle.terminate('operator ended it by hand');

    const retried = await stack.call('POST', '/v1/disputes', { role: 'agent', body, headers });
    expect(retried.status).toBeLessThan(300);
    expect(retried.body.id).toBe(opened.body.id);
    const after = await env.client.workflow.getHandle(opened.body.workflowId).describe();
    expect(after.runId).toBe(runId);
    expect(after.status.name).toBe('TERMINATED');
  });
});

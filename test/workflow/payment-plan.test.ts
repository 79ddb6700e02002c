// Issue 10, item 4 on the time-skipping server: a payment plan is followed through. Payments
// imported later settle its installments; an installment unpaid past the policy's grace days sends
// the customer a reminder, and one still unpaid some days after that escalates.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../domain/calendar';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import { customerBundle, openInPhase, waitForPhase } from '../support/api-fixtures';
import { retireDispute, skipTime, timelineTypes, type OpenedDispute } from '../support/disputes';
import { startStack, type Stack } from '../support/stack';
import { startTimeSkippingEnv } from '../support/temporal';

const CUSTOMER = 'C-PLAN';
const usd = (amount: string): { amount: string; currency: string } => ({ amount, currency: 'USD' });
const policy: Policy = {
  ...DEFAULT_POLICY,
  installmentGraceDays: 5,
  installmentEscalationDays: 10,
};

let env: TestWorkflowEnvironment;
let stack: Stack;
let dispute: OpenedDispute;

beforeAll(async () => {
  env = await startTimeSkippingEnv();
  stack = await startStack(env, 'sqlite', policy);
  // 40.00 billed against a contract price of 100.00: undercharged by 60.00.
  const imported = await stack.call('POST', '/v1/import', {
    role: 'operations',
    body: customerBundle(CUSTOMER, [{ id: 'I-PLAN', billed: '40.00' }]),
  });
  expect(imported.status).toBe(200);
}, 180_000);
afterAll(async () => {
  if (dispute) await retireDispute(dispute);
  await stack?.stop();
  await env?.teardown();
});

async function events(type: string): Promise<{ data: string }[]> {
  return stack.database.db.disputeEvent.findMany({
    where: { disputeId: dispute.id, type },
    orderBy: { id: 'asc' },
    select: { data: true },
  });
}

describe('a payment plan in monitoring', { timeout: 600_000 }, () => {
  it('reminds of an overdue installment after the grace days, then escalates it', async () => {
    const opened = await openInPhase(stack, CUSTOMER, 'I-PLAN', 'awaiting_decision');
    dispute = { id: opened.id, handle: env.client.workflow.getHandle(opened.workflowId) };
    const decided = await stack.call('POST', `/v1/disputes/${dispute.id}/decision`, {
      body: { resolution: 'payment_plan', amount: usd('60.00'), installments: 3 },
    });
    expect(decided.status).toBe(200);
    await stack.call('POST', `/v1/disputes/${dispute.id}/customer-response`, {
      body: { accepted: true },
    });
    const monitored = await waitForPhase(stack, dispute.id, 'monitoring');
    const plan = monitored.adjustments.find((a: any) => a.kind === 'payment_plan');
    expect(plan.installments.map((i: any) => i.amount.amount)).toEqual(['20.00', '20.00', '20.00']);

    // The invoice's 40.00 and the first installment's 20.00, paid on time.
    const paid = await stack.call('POST', '/v1/import', {
      role: 'operations',
      body: {
        payments: [
          {
            id: 'PAY-PLAN-1',
            customerId: CUSTOMER,
            invoiceId: 'I-PLAN',
            receivedAt: '2026-03-20',
            amount: '60.00',
            currency: 'USD',
          },
        ],
      },
    });
    expect(paid.status).toBe(200);

    // Installment 2 falls due on day 60: reminded 5 business days later, escalated 10 after that.
    // Installment 3 falls due on day 90 and is reminded about day 97, past the monitoring period.
    await skipTime(env, dispute, 100 * DAY_MS);

    const reminders = await events('installment_overdue');
    expect(reminders.map((e) => JSON.parse(e.data).installment)).toEqual([2, 3]);
    const escalations = (await events('escalated')).map((e) => JSON.parse(e.data));
    expect(escalations).toEqual([expect.objectContaining({ trigger: 'installment_overdue' })]);
    const subjects = stack.catcher
      .messages()
      .filter((m) => m.to.includes('dana@example.com'))
      .map((m) => m.subject.replace(`[Settle ${dispute.id}] `, ''));
    expect(
      subjects.filter((s) => /^Installment \d of 3 for invoice I-PLAN is overdue/.test(s)),
    ).toEqual([
      'Installment 2 of 3 for invoice I-PLAN is overdue',
      'Installment 3 of 3 for invoice I-PLAN is overdue',
    ]);
    expect(
      stack.catcher
        .messages()
        .some(
          (m) => m.to.includes(policy.contacts[1]!.email) && /overdue|installment/i.test(m.subject),
        ),
    ).toBe(true);

    // The plan is not done: monitoring goes on past its 90 days until the last escalation is due.
    const view = await stack.call('GET', `/v1/disputes/${dispute.id}`, { role: 'auditor' });
    expect(view.body.phase).toBe('monitoring');
    expect(await timelineTypes(stack, dispute.id)).not.toContain('monitoring_ended');
  });
});

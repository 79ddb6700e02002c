// Every path of the dispute lifecycle on Temporal's time-skipping test server, with the real
// default durations (business-day deadlines, 90 days of monitoring), the real activities, a real
// database and SMTP on loopback.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import {
  approveUpdate,
  customerResponseUpdate,
  decideUpdate,
  disputeQuery,
  mediationOutcomeUpdate,
  reopenUpdate,
  withdrawUpdate,
} from '../../workflows/messages';
import {
  importSample,
  mailsOf,
  openDispute,
  retireDispute,
  skipTime,
  timelineTypes,
  waitForPhase,
  type OpenedDispute,
} from '../support/disputes';
import { recordHistoryIfRequested, replayHistoriesDir } from '../support/replay';
import { startStack, type Stack } from '../support/stack';
import { startTimeSkippingEnv, waitFor } from '../support/temporal';

// Limits chosen so the sample data exercises each path; every duration is the default.
const policy: Policy = {
  ...DEFAULT_POLICY,
  autoApproveLimit: '1100.00',
  writeOffLimit: '25.00',
  agentLimit: '1000.00',
};
const AGENT = 'agent:dev-agent';
const MANAGER = 'manager:dev-manager';
const usd = (amount: string): { amount: string; currency: string } => ({ amount, currency: 'USD' });

let env: TestWorkflowEnvironment;
let stack: Stack;
const opened: OpenedDispute[] = [];

beforeAll(async () => {
  env = await startTimeSkippingEnv();
  stack = await startStack(env, 'sqlite', policy);
  await importSample(stack);
});
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
});
// Each path's history feeds the replay tests (RECORD_HISTORIES=1); a dispute left waiting
// would keep escalating while later tests skip time, so each one is withdrawn.
afterEach(async (context) => {
  for (const [i, d] of opened.splice(0).entries()) {
    const name = `${context.task.name
      .split(/[,;]/)[0]!
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')}-${i}`;
    await recordHistoryIfRequested(d.handle, replayHistoriesDir, name);
    await retireDispute(d);
  }
});

async function open(
  ...args: Parameters<typeof openDispute> extends [unknown, ...infer R] ? R : never
): Promise<OpenedDispute> {
  const d = await openDispute(stack, ...args);
  opened.push(d);
  return d;
}

async function mailArrives(id: string, kindInSubject: RegExp, to?: string): Promise<void> {
  await stack.catcher.waitFor(
    (m) => m.subject.includes(id) && kindInSubject.test(m.subject) && (!to || m.to.includes(to)),
    {
      timeoutMs: 30_000,
    },
  );
}

describe('dispute lifecycle (time skipping)', { timeout: 180_000 }, () => {
  it('closes a discount request with no discrepancy as no_error after explaining the policy', async () => {
    const d = await open('INV-1001', 'discount_request');
    const view = await waitForPhase(stack, d, 'closed');
    expect(view.resolution).toBe('no_error');
    expect(view.rootCause).toBe('no_error');
    await waitFor(async () => mailsOf(stack, d.id).length >= 3 || undefined, {
      what: 'three emails',
      timeoutMs: 30_000,
    });
    const texts = mailsOf(stack, d.id)
      .map((m) => m.text)
      .join('\n');
    expect(texts).toMatch(/contract/i);
    // The `closed` event is written just after the phase the read model shows.
    const types = await waitFor(
      async () => {
        const found = await timelineTypes(stack, d.id);
        return found.includes('closed') ? found : undefined;
      },
      { what: 'the closed event', timeoutMs: 30_000 },
    );
    expect(types).toEqual(expect.arrayContaining(['opened', 'acknowledged', 'investigated']));

    // A manager may reopen it within the window.
    const reopened = await d.handle.executeUpdate(reopenUpdate, {
      args: [{ reason: 'customer sent new evidence', actor: MANAGER }],
    });
    expect(reopened.phase).toBe('awaiting_decision');
    expect((await d.handle.query(disputeQuery)).round).toBe(2);
  });

  it('writes off a small undercharge without asking anyone', async () => {
    const d = await open('INV-1002', 'undercharge');
    const view = await waitForPhase(stack, d, 'closed');
    expect(view.resolution).toBe('written_off');
    const adjustments = await stack.database.db.adjustment.findMany({ where: { disputeId: d.id } });
    expect(adjustments.map((a) => a.kind)).toEqual(['write_off']);
  });

  it('offers a credit note by policy, corrects on acceptance, monitors 90 days and closes', async () => {
    const d = await open('INV-2002', 'discount_not_applied');
    const offered = await waitForPhase(stack, d, 'awaiting_customer');
    expect(offered.offer).toMatchObject({
      kind: 'credit_note',
      amount: usd('1027.20'),
      decidedBy: 'system',
    });
    await mailArrives(d.id, /./, 'dana@example.com');

    const accepted = await d.handle.executeUpdate(customerResponseUpdate, {
      args: [{ accepted: true, actor: AGENT }],
    });
    expect(['correcting', 'monitoring']).toContain(accepted.phase);
    await waitForPhase(stack, d, 'monitoring');
    const adjustments = await stack.database.db.adjustment.findMany({ where: { disputeId: d.id } });
    expect(adjustments.map((a) => a.kind)).toEqual(['credit_note']);

    await skipTime(env, d, '91 days');
    const closed = await waitForPhase(stack, d, 'closed');
    expect(closed.resolution).toBe('corrected');
    expect(closed.rootCause).toBe('retroactive_discount');
    expect(await timelineTypes(stack, d.id)).toEqual(
      expect.arrayContaining(['monitoring_sweep', 'monitoring_ended']),
    );
  });

  it('lets an agent decide within the limit; a silent customer gets a reminder, then it escalates', async () => {
    const d = await open('INV-2001', 'pricing_error');
    await waitForPhase(stack, d, 'awaiting_decision');
    const decided = await d.handle.executeUpdate(decideUpdate, {
      args: [{ resolution: 'credit_note', amount: usd('900.00'), byManager: false, actor: AGENT }],
    });
    expect(decided.phase).toBe('awaiting_customer');
    expect((await d.handle.query(disputeQuery)).offer?.approvedBy).toBeNull();

    // Ten business days to answer; the reminder goes three business days before.
    await skipTime(env, d, '9 days');
    await waitFor(
      async () => (await timelineTypes(stack, d.id)).includes('reminder_sent') || undefined,
      {
        what: 'the reminder',
        timeoutMs: 30_000,
      },
    );
    await skipTime(env, d, '6 days');
    const escalated = await waitFor(
      async () => {
        const v = await d.handle.query(disputeQuery);
        return v.escalationLevel === 1 ? v : undefined;
      },
      { what: 'escalation to level 1', timeoutMs: 30_000 },
    );
    expect(escalated).toBeTruthy();
    await mailArrives(d.id, /./, policy.contacts[1]!.email);
  });

  it('sends a decision above the agent limit to a manager, who sends it back, then approves', async () => {
    const d = await open('INV-3002', 'double_billing');
    await waitForPhase(stack, d, 'awaiting_decision');
    const eur = { amount: '4411.80', currency: 'EUR' };
    let view = await d.handle.executeUpdate(decideUpdate, {
      args: [{ resolution: 'refund', amount: eur, byManager: false, actor: AGENT }],
    });
    expect(view.phase).toBe('awaiting_approval');
    await mailArrives(d.id, /./, policy.contacts[2]!.email);
    view = await d.handle.executeUpdate(approveUpdate, {
      args: [{ approved: false, comment: 'check the duplicate', actor: MANAGER }],
    });
    expect(view.phase).toBe('awaiting_decision');
    view = await d.handle.executeUpdate(decideUpdate, {
      args: [{ resolution: 'credit_note', amount: eur, byManager: false, actor: AGENT }],
    });
    expect(view.phase).toBe('awaiting_approval');
    view = await d.handle.executeUpdate(approveUpdate, {
      args: [{ approved: true, actor: MANAGER }],
    });
    expect(view.phase).toBe('awaiting_customer');
    expect((await d.handle.query(disputeQuery)).offer).toMatchObject({
      kind: 'credit_note',
      approvedBy: MANAGER,
    });
  });

  it('goes to mediation after the last rejected round and corrects what mediation agreed', async () => {
    const d = await open('INV-4001', 'undercharge');
    await waitForPhase(stack, d, 'awaiting_decision');
    for (let round = 1; round <= policy.maxRounds; round += 1) {
      const offered = await d.handle.executeUpdate(decideUpdate, {
        args: [
          { resolution: 'debit_note', amount: usd('1876.20'), byManager: true, actor: MANAGER },
        ],
      });
      expect(offered.phase).toBe('awaiting_customer');
      expect((await d.handle.query(disputeQuery)).round).toBe(round);
      const answered = await d.handle.executeUpdate(customerResponseUpdate, {
        args: [{ accepted: false, comment: `no (round ${round})`, actor: AGENT }],
      });
      expect(answered.phase).toBe(round < policy.maxRounds ? 'awaiting_decision' : 'mediation');
    }
    await mailArrives(d.id, /./, policy.contacts[2]!.email);
    const agreed = await d.handle.executeUpdate(mediationOutcomeUpdate, {
      args: [{ agreed: true, resolution: 'debit_note', amount: usd('1000.00'), actor: MANAGER }],
    });
    expect(['correcting', 'monitoring']).toContain(agreed.phase);
    await waitForPhase(stack, d, 'monitoring');
    const adjustments = await stack.database.db.adjustment.findMany({ where: { disputeId: d.id } });
    expect(adjustments.map((a) => a.kind)).toEqual(['debit_note']);
  });

  it('escalates through every level when nobody reviews, and rejects actions the phase does not allow', async () => {
    const d = await open('INV-3001', 'other');
    await waitForPhase(stack, d, 'awaiting_review');
    for (const level of [1, 2, 3]) {
      await skipTime(env, d, '5 days');
      await waitFor(
        async () => (await d.handle.query(disputeQuery)).escalationLevel === level || undefined,
        { what: `level ${level}`, timeoutMs: 30_000 },
      );
      await mailArrives(d.id, /./, policy.contacts[level]!.email);
    }
    await expect(
      d.handle.executeUpdate(decideUpdate, {
        args: [{ resolution: 'reject', byManager: false, actor: AGENT }],
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

    const withdrawn = await d.handle.executeUpdate(withdrawUpdate, {
      args: [{ reason: 'resolved by phone', actor: AGENT }],
    });
    expect(withdrawn.phase).toBe('closed');
    expect(await d.handle.query(disputeQuery)).toMatchObject({
      resolution: 'withdrawn',
      rootCause: 'withdrawn',
    });
  });
});

// Every dispute action through the HTTP API against the real workflow: what each does, the 409
// for each action in every phase that does not allow it, 422s, 404s, and Temporal being down.
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { disputeSchema } from '../../api/disputes/schemas';
import { DEV_API_KEYS, loadConfig } from '../../config';
import { PHASES } from '../../domain/dispute';
import { ACTIONS, actionAllowed, type Action } from '../../domain/lifecycle';
import { DEFAULT_POLICY } from '../../domain/policy';
import { customerBundle, disputeBody, openInPhase, waitForPhase } from '../support/api-fixtures';
import { ACTORS, SECRETS, startStack, type Stack } from '../support/stack';
import { startDevServerEnv } from '../support/temporal';

const CUSTOMER = 'C-ACT';
const usd = (amount: string): { amount: string; currency: string } => ({ amount, currency: 'USD' });

/** The endpoint of each workflow action and a body that is valid for it. */
const ENDPOINTS: Record<Action, { path: string; body: (invoiceId: string) => unknown }> = {
  assign: { path: 'assign', body: () => ({ assignee: 'agent-7' }) },
  note: { path: 'notes', body: () => ({ text: 'Called the customer' }) },
  submitFindings: {
    path: 'findings',
    body: (invoiceId) => ({
      findings: [
        {
          rule: 'pricing',
          invoiceId,
          lineId: `${invoiceId}-1`,
          expected: '100.00',
          actual: '150.00',
          delta: usd('50.00'),
        },
      ],
      verdict: 'overcharged',
    }),
  },
  decide: { path: 'decision', body: () => ({ resolution: 'credit_note', amount: usd('50.00') }) },
  approve: { path: 'approval', body: () => ({ approved: true }) },
  customerResponse: { path: 'customer-response', body: () => ({ accepted: true }) },
  escalate: { path: 'escalate', body: () => ({ reason: 'Customer called twice' }) },
  withdraw: { path: 'withdraw', body: () => ({ reason: 'Customer withdrew' }) },
  mediationOutcome: { path: 'mediation-outcome', body: () => ({ agreed: false }) },
  reopen: { path: 'reopen', body: () => ({ reason: 'Customer sent new evidence' }) },
  reverse: {
    path: 'reverse',
    body: () => ({ documentNumber: 'CN-000001', reason: 'Credited the wrong line' }),
  },
};

const INVOICES = [
  { id: 'A-REVIEW', billed: '100.00' },
  { id: 'A-DECIDE', billed: '700.00' },
  { id: 'A-APPROVE', billed: '1700.00' },
  { id: 'A-OFFER', billed: '150.00' },
  { id: 'A-MEDIATE', billed: '700.00' },
  { id: 'A-MONITOR', billed: '150.00' },
  { id: 'A-CLOSED', billed: '100.00' },
  { id: 'A-MGR', billed: '1700.00' },
  { id: 'A-SENDBACK', billed: '1700.00' },
  { id: 'A-WITHDRAW', billed: '700.00' },
  { id: 'A-422', billed: '700.00' },
  { id: 'A-GONE', billed: '100.00' },
  { id: 'A-DOWN', billed: '700.00' },
];

let env: TestWorkflowEnvironment;
let stack: Stack;
const managerActor = ACTORS.manager;
const agentActor = ACTORS.agent;

beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startStack(env, 'sqlite', { ...DEFAULT_POLICY, maxRounds: 2 });
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

/** Sends an action; a 200 must carry a dispute of the documented shape. */
async function act(
  id: string,
  action: Action,
  body: unknown,
  role: 'agent' | 'manager' | 'operations' = 'manager',
): Promise<{ status: number; body: any }> {
  const got = await stack.call('POST', `/v1/disputes/${id}/${ENDPOINTS[action].path}`, {
    role,
    body,
  });
  if (got.status === 200) disputeSchema.parse(got.body);
  return got;
}

describe('a dispute in each waiting phase', () => {
  const inPhase = new Map<string, { id: string; invoiceId: string }>();

  beforeAll(async () => {
    const review = await openInPhase(stack, CUSTOMER, 'A-REVIEW', 'awaiting_review', 'other');
    const decide = await openInPhase(stack, CUSTOMER, 'A-DECIDE', 'awaiting_decision');
    const approve = await openInPhase(stack, CUSTOMER, 'A-APPROVE', 'awaiting_decision');
    const toApproval = await act(
      approve.id,
      'decide',
      { resolution: 'credit_note', amount: usd('1600.00') },
      'agent',
    );
    expect(toApproval.body.phase).toBe('awaiting_approval');
    const offer = await openInPhase(stack, CUSTOMER, 'A-OFFER', 'awaiting_customer');
    const mediate = await openInPhase(stack, CUSTOMER, 'A-MEDIATE', 'awaiting_decision');
    for (let round = 1; round <= 2; round += 1) {
      const decided = await act(
        mediate.id,
        'decide',
        { resolution: 'credit_note', amount: usd('600.00') },
        'agent',
      );
      expect(decided.body.phase).toBe('awaiting_customer');
      const rejected = await act(
        mediate.id,
        'customerResponse',
        { accepted: false, comment: 'Not enough' },
        'agent',
      );
      expect(rejected.body.phase).toBe(round === 1 ? 'awaiting_decision' : 'mediation');
    }
    const monitor = await openInPhase(stack, CUSTOMER, 'A-MONITOR', 'awaiting_customer');
    expect((await act(monitor.id, 'customerResponse', { accepted: true }, 'agent')).status).toBe(
      200,
    );
    await waitForPhase(stack, monitor.id, 'monitoring');
    const closed = await openInPhase(stack, CUSTOMER, 'A-CLOSED', 'closed');
    for (const [phase, d, invoiceId] of [
      ['awaiting_review', review, 'A-REVIEW'],
      ['awaiting_decision', decide, 'A-DECIDE'],
      ['awaiting_approval', approve, 'A-APPROVE'],
      ['awaiting_customer', offer, 'A-OFFER'],
      ['mediation', mediate, 'A-MEDIATE'],
      ['monitoring', monitor, 'A-MONITOR'],
      ['closed', closed, 'A-CLOSED'],
    ] as const) {
      inPhase.set(phase, { id: d.id, invoiceId });
    }
  });

  it('answers 409 with the current phase for every action the phase does not allow', async () => {
    let checked = 0;
    for (const [phase, { id, invoiceId }] of inPhase) {
      for (const action of ACTIONS) {
        if (actionAllowed(action, phase as (typeof PHASES)[number])) continue;
        const got = await act(id, action, ENDPOINTS[action].body(invoiceId));
        expect({ phase, action, status: got.status }).toEqual({ phase, action, status: 409 });
        expect(got.body.error).toMatchObject({
          code: 'phase_conflict',
          details: { phase, action },
        });
        expect(got.body.error.details.allowedIn).not.toContain(phase);
        checked += 1;
      }
      // Nothing changed: still in the same phase.
      expect((await stack.call('GET', `/v1/disputes/${id}`)).body.phase).toBe(phase);
    }
    // 7 phases × the actions each forbids (40 with the lifecycle's table as it is).
    expect(checked).toBeGreaterThan(30);
  });

  it('assigns and notes in any phase, recording the caller as the actor', async () => {
    for (const [phase, { id }] of inPhase) {
      if (phase !== 'closed') {
        const assigned = await act(id, 'assign', { assignee: 'agent-7' }, 'agent');
        expect(assigned.status).toBe(200);
        expect(assigned.body.assignee).toBe('agent-7');
        expect(assigned.body.timeline.find((e: any) => e.type === 'assigned')).toMatchObject({
          actor: agentActor,
          data: { assignee: 'agent-7' },
        });
      }
      const noted = await act(id, 'note', { text: 'Checked the contract' }, 'manager');
      expect(noted.status).toBe(200);
      // Emails are delivered in the background: their events may land after the note.
      expect(noted.body.timeline.findLast((e: any) => e.type === 'note')).toMatchObject({
        type: 'note',
        actor: managerActor,
        data: { text: 'Checked the contract' },
      });
    }
  });

  it('escalates by hand in a waiting phase, one level at a time', async () => {
    const { id } = inPhase.get('awaiting_decision')!;
    const first = await act(id, 'escalate', { reason: 'Customer called twice' }, 'agent');
    expect(first.status).toBe(200);
    expect(first.body.escalationLevel).toBe(1);
    expect(first.body.timeline.find((e: any) => e.type === 'escalated')).toMatchObject({
      actor: agentActor,
      data: { level: 1, trigger: 'manual', comment: 'Customer called twice' },
    });
    const list = await stack.call('GET', '/v1/disputes?escalationLevel=1', { role: 'auditor' });
    expect(list.body.items.map((d: any) => d.id)).toContain(id);
  });

  it('completes a review with submitted findings', async () => {
    const { id, invoiceId } = inPhase.get('awaiting_review')!;
    const unknownInvoice = await act(
      id,
      'submitFindings',
      ENDPOINTS.submitFindings.body('NOPE-1'),
      'agent',
    );
    expect(unknownInvoice.status).toBe(422);
    expect(unknownInvoice.body.error.details[0].path).toBe('$.findings[0].invoiceId');
    const contradicting = await act(
      id,
      'submitFindings',
      { ...(ENDPOINTS.submitFindings.body(invoiceId) as object), verdict: 'undercharged' },
      'agent',
    );
    expect(contradicting.status).toBe(422);
    expect(contradicting.body.error.code).toBe('unprocessable');

    const done = await act(id, 'submitFindings', ENDPOINTS.submitFindings.body(invoiceId), 'agent');
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ verdict: 'overcharged', totalDelta: usd('50.00') });
    expect(done.body.findings[0]).toMatchObject({
      rule: 'pricing',
      lineId: `${invoiceId}-1`,
      delta: usd('50.00'),
    });
    expect(done.body.findings[0].explanation).toContain('pricing');
    expect(done.body.timeline.find((e: any) => e.type === 'findings_submitted')).toMatchObject({
      actor: agentActor,
    });
    // 50.00 is under the auto-approve limit: policy offers the credit itself.
    expect(done.body.phase).toBe('awaiting_customer');
  });

  it('approves a decision above the agent limit', async () => {
    const { id } = inPhase.get('awaiting_approval')!;
    expect((await act(id, 'approve', { approved: true }, 'agent')).status).toBe(403);
    const approved = await act(id, 'approve', { approved: true, comment: 'Contract is clear' });
    expect(approved.status).toBe(200);
    expect(approved.body.phase).toBe('awaiting_customer');
    expect(approved.body.offer).toMatchObject({
      kind: 'credit_note',
      amount: usd('1600.00'),
      approvedBy: managerActor,
      decidedBy: agentActor,
    });
  });

  it('closes mediation with its outcome', async () => {
    const { id } = inPhase.get('mediation')!;
    const notAgreedWithoutResolution = await act(id, 'mediationOutcome', { agreed: true });
    expect(notAgreedWithoutResolution.status).toBe(400);
    const outcome = await act(id, 'mediationOutcome', {
      agreed: true,
      resolution: 'credit_note',
      amount: usd('300.00'),
    });
    expect(outcome.status).toBe(200);
    expect(['correcting', 'monitoring']).toContain(outcome.body.phase);
    expect(outcome.body.timeline.find((e: any) => e.type === 'mediation_outcome')).toMatchObject({
      actor: managerActor,
    });
    await waitForPhase(stack, id, 'monitoring');
  });

  it('reopens a closed dispute (manager only) into awaiting_decision', async () => {
    const { id } = inPhase.get('closed')!;
    expect((await act(id, 'reopen', { reason: 'New evidence' }, 'agent')).status).toBe(403);
    const reopened = await act(id, 'reopen', { reason: 'New evidence' });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({
      phase: 'awaiting_decision',
      resolution: null,
      closedAt: null,
    });
    expect(reopened.body.timeline.find((e: any) => e.type === 'reopened')).toMatchObject({
      actor: managerActor,
      data: { reason: 'New evidence' },
    });
  });
});

describe('decisions', () => {
  it('sends an agent decision above the agent limit to approval, and a manager back to decide', async () => {
    const d = await openInPhase(stack, CUSTOMER, 'A-SENDBACK', 'awaiting_decision');
    const decided = await act(
      d.id,
      'decide',
      { resolution: 'refund', amount: usd('1600.00'), explanation: 'Paid already' },
      'agent',
    );
    expect(decided.status).toBe(200);
    expect(decided.body.phase).toBe('awaiting_approval');
    const back = await act(d.id, 'approve', {
      approved: false,
      comment: 'Offer a credit note instead',
    });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ phase: 'awaiting_decision', offer: null });
    expect(back.body.timeline.find((e: any) => e.type === 'sent_back')).toMatchObject({
      actor: managerActor,
    });
  });

  it('lets a manager decide above the agent limit without approval', async () => {
    const d = await openInPhase(stack, CUSTOMER, 'A-MGR', 'awaiting_decision');
    const decided = await act(
      d.id,
      'decide',
      { resolution: 'credit_note', amount: usd('1600.00') },
      'manager',
    );
    expect(decided.status).toBe(200);
    expect(decided.body.phase).toBe('awaiting_customer');
    expect(decided.body.offer).toMatchObject({ decidedBy: managerActor, approvedBy: managerActor });
  });

  it('answers 422 for a decision that does not fit the findings, 400 for a malformed one', async () => {
    const d = await openInPhase(stack, CUSTOMER, 'A-422', 'awaiting_decision');
    const cases: [unknown, number][] = [
      [{ resolution: 'debit_note', amount: usd('10.00') }, 422], // a debit note does not correct an overcharge
      [{ resolution: 'credit_note' }, 422], // needs an amount
      [{ resolution: 'credit_note', amount: { amount: '10.00', currency: 'EUR' } }, 422], // not the invoice currency
      [{ resolution: 'payment_plan', amount: usd('600.00') }, 422], // needs installments
      [{ resolution: 'credit_note', amount: usd('10.00'), installments: 3 }, 422], // installments only for plans
      [{ resolution: 'credit_note', amount: usd('-10.00') }, 400],
      [{ resolution: 'credit_note', amount: usd('ten') }, 400],
      [{ resolution: 'credit_note', amount: usd('10.001') }, 400],
      [{ resolution: 'gift' }, 400],
      [{ resolution: 'credit_note', amount: usd('10.00'), extra: true }, 400],
      [{ resolution: 'payment_plan', amount: usd('600.00'), installments: 2.5 }, 400],
    ];
    for (const [body, status] of cases) {
      const got = await act(d.id, 'decide', body, 'agent');
      expect({ body, status: got.status }).toEqual({ body, status });
      expect(got.body.error).toMatchObject({
        code: expect.any(String),
        message: expect.any(String),
      });
    }
    expect((await stack.call('GET', `/v1/disputes/${d.id}`)).body.phase).toBe('awaiting_decision');
    // A payment plan bills the customer: it never settles an overcharge (issue 10, item 2).
    const plan = await act(
      d.id,
      'decide',
      { resolution: 'payment_plan', amount: usd('600.00'), installments: 3 },
      'agent',
    );
    expect(plan.status).toBe(422);
    expect(plan.body.error.message).toMatch(/does not correct an overcharge/);
    const credit = await act(
      d.id,
      'decide',
      { resolution: 'credit_note', amount: usd('600.00') },
      'agent',
    );
    expect(credit.status).toBe(200);
    expect(credit.body.offer).toMatchObject({ kind: 'credit_note' });
  });

  it('withdraws from an open phase for operations, then refuses every further action but notes and reopen', async () => {
    const d = await openInPhase(stack, CUSTOMER, 'A-WITHDRAW', 'awaiting_decision');
    const withdrawn = await act(d.id, 'withdraw', { reason: 'Paid in full' }, 'operations');
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ phase: 'closed', resolution: 'withdrawn' });
    expect(withdrawn.body.timeline.find((e: any) => e.type === 'withdrawn')).toMatchObject({
      actor: expect.stringMatching(/^operations:/),
    });
    const again = await act(d.id, 'withdraw', { reason: 'Again' }, 'operations');
    expect(again.status).toBe(409);
    expect(again.body.error.details.phase).toBe('closed');
  });
});

describe('errors around the workflow', () => {
  it('answers 404 for an unknown dispute and 400 for a malformed id', async () => {
    for (const action of ACTIONS) {
      const got = await act('D-0000000000', action, ENDPOINTS[action].body('A-DECIDE'));
      expect(got.status).toBe(404);
      expect(got.body.error.code).toBe('not_found');
    }
    expect((await act('not-an-id', 'note', { text: 'x' })).status).toBe(400);
  });

  it('answers 409 with the phase from the database once the workflow has ended', async () => {
    const d = await openInPhase(stack, CUSTOMER, 'A-GONE', 'closed');
    await env.client.workflow.getHandle(d.workflowId).terminate('reopen window over (test)');
    const got = await act(d.id, 'reopen', { reason: 'Too late' });
    expect(got.status).toBe(409);
    expect(got.body.error).toMatchObject({
      code: 'phase_conflict',
      details: { phase: 'closed', action: 'reopen' },
    });
  });

  it('answers 503 with the error body when Temporal cannot be reached, and still reads', async () => {
    const d = await openInPhase(stack, CUSTOMER, 'A-DOWN', 'awaiting_decision');
    // Nothing listens on port 1: every Temporal call fails.
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const app = await buildApp({
      config: loadConfig({
        SETTLE_API_KEYS: DEV_API_KEYS,
        TEMPORAL_TASK_QUEUE: stack.taskQueue,
        LOG_LEVEL: 'silent',
      }),
      db: stack.database.db,
      temporal: new Client({ connection }),
      policy: DEFAULT_POLICY,
      temporalTimeoutMs: 2_000,
    });
    try {
      const headers = { authorization: `Bearer ${SECRETS.manager}` };
      const action = await app.inject({
        method: 'POST',
        url: `/v1/disputes/${d.id}/notes`,
        headers,
        payload: { text: 'x' },
      });
      expect(action.statusCode).toBe(503);
      expect(action.json().error).toMatchObject({
        code: 'unavailable',
        message: expect.any(String),
      });
      expect(action.headers['retry-after']).toBeDefined();

      await stack.call('POST', '/v1/import', {
        role: 'operations',
        body: {
          ...customerBundle(CUSTOMER, [{ id: 'A-DOWN-2', billed: '700.00' }]),
          customers: [],
          contracts: [],
        },
      });
      const open = await app.inject({
        method: 'POST',
        url: '/v1/disputes',
        headers,
        payload: disputeBody(CUSTOMER, 'A-DOWN-2'),
      });
      expect(open.statusCode).toBe(503);
      expect(open.json().error.code).toBe('unavailable');

      const read = await app.inject({ method: 'GET', url: `/v1/disputes/${d.id}`, headers });
      expect(read.statusCode).toBe(200);
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
    } finally {
      await app.close();
      await connection.close();
    }
    // The dispute written before the outage gets its workflow when the client tries again.
    const retried = await stack.call('POST', '/v1/disputes', {
      role: 'manager',
      body: disputeBody(CUSTOMER, 'A-DOWN-2'),
    });
    expect(retried.status).toBe(409);
    expect(retried.body.error.code).toBe('dispute_exists');
    await waitForPhase(stack, retried.body.error.details.disputeId, 'awaiting_decision');
  });
});

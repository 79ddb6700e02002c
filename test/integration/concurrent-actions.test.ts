// One action at a time: pairs of actions sent together through the API, on fresh disputes, against
// the real workflow, activities and database. Of two actions that conflict exactly one succeeds
// (the other answers 409) and the dispute ends in a state one of them alone produces; two that do
// not conflict both succeed. Retries with an Idempotency-Key act once. Each pair runs
// CONCURRENT_PAIR_RUNS times (2 in npm test; the soak run sets more).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../config';
import { DEFAULT_POLICY } from '../../domain/policy';
import { customerBundle, openInPhase, waitForPhase } from '../support/api-fixtures';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv, waitFor } from '../support/temporal';

const RUNS = Number(process.env.CONCURRENT_PAIR_RUNS ?? 2);
const CUSTOMER = 'C-PAIRS';
const usd = (amount: string): { amount: string; currency: string } => ({ amount, currency: 'USD' });

interface Action {
  path: string;
  body: unknown;
  role: Role;
}
const accept: Action = { path: 'customer-response', body: { accepted: true }, role: 'agent' };
const reject: Action = { path: 'customer-response', body: { accepted: false }, role: 'agent' };
const withdraw: Action = { path: 'withdraw', body: { reason: 'customer withdrew' }, role: 'agent' };
const approve: Action = { path: 'approval', body: { approved: true }, role: 'manager' };
const sendBack: Action = { path: 'approval', body: { approved: false }, role: 'manager' };
const escalate: Action = { path: 'escalate', body: { reason: 'late' }, role: 'agent' };
const assign: Action = { path: 'assign', body: { assignee: 'agent-7' }, role: 'agent' };
const note: Action = { path: 'notes', body: { text: 'called them' }, role: 'agent' };
const decide = (amount: string): Action => ({
  path: 'decision',
  body: { resolution: 'credit_note', amount: usd(amount) },
  role: 'agent',
});

/** Where each pair starts: the invoice's overcharge is its billed amount minus 100.00. */
type Start = 'awaiting_decision' | 'awaiting_approval' | 'awaiting_customer' | 'monitoring';
const BILLED: Record<Start, string> = {
  awaiting_decision: '700.00',
  awaiting_customer: '700.00',
  monitoring: '700.00',
  awaiting_approval: '1700.00',
};

/** What one serial order of the two actions gives: each one's status, and the phase it ends in. */
interface Serial {
  a: 200 | 409;
  b: 200 | 409;
  end: string;
}

interface Pair {
  name: string;
  start: Start;
  a: Action;
  b: Action;
  /** a then b, and b then a: the outcome of the pair sent together must be one of these. */
  serial: readonly [Serial, Serial];
}

// prettier-ignore
const PAIRS: readonly Pair[] = [
  { name: 'accept and withdraw', start: 'awaiting_customer', a: accept, b: withdraw,
    serial: [{ a: 200, b: 409, end: 'monitoring' }, { a: 409, b: 200, end: 'closed' }] },
  { name: 'accept and reject', start: 'awaiting_customer', a: accept, b: reject,
    serial: [{ a: 200, b: 409, end: 'monitoring' }, { a: 409, b: 200, end: 'awaiting_decision' }] },
  { name: 'two withdrawals', start: 'awaiting_customer', a: withdraw, b: withdraw,
    serial: [{ a: 200, b: 409, end: 'closed' }, { a: 409, b: 200, end: 'closed' }] },
  { name: 'two approvals', start: 'awaiting_approval', a: approve, b: approve,
    serial: [{ a: 200, b: 409, end: 'awaiting_customer' }, { a: 409, b: 200, end: 'awaiting_customer' }] },
  { name: 'approve and send back', start: 'awaiting_approval', a: approve, b: sendBack,
    serial: [{ a: 200, b: 409, end: 'awaiting_customer' }, { a: 409, b: 200, end: 'awaiting_decision' }] },
  { name: 'two decisions', start: 'awaiting_decision', a: decide('600.00'), b: decide('500.00'),
    serial: [{ a: 200, b: 409, end: 'awaiting_customer' }, { a: 409, b: 200, end: 'awaiting_customer' }] },
  { name: 'decide and withdraw', start: 'awaiting_decision', a: decide('600.00'), b: withdraw,
    serial: [{ a: 200, b: 200, end: 'closed' }, { a: 409, b: 200, end: 'closed' }] },
  { name: 'two escalations', start: 'awaiting_decision', a: escalate, b: escalate,
    serial: [{ a: 200, b: 200, end: 'awaiting_decision' }, { a: 200, b: 200, end: 'awaiting_decision' }] },
  { name: 'assign and decide', start: 'awaiting_decision', a: assign, b: decide('600.00'),
    serial: [{ a: 200, b: 200, end: 'awaiting_customer' }, { a: 200, b: 200, end: 'awaiting_customer' }] },
  { name: 'withdraw and note in monitoring', start: 'monitoring', a: withdraw, b: note,
    serial: [{ a: 200, b: 200, end: 'closed' }, { a: 200, b: 200, end: 'closed' }] },
];

let env: TestWorkflowEnvironment;
let stack: Stack;
let invoices = 0;

beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startStack(env, 'sqlite', { ...DEFAULT_POLICY, maxRounds: 3 });
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
});

/** A fresh dispute in `start`, on an invoice of its own. */
async function disputeIn(start: Start): Promise<string> {
  invoices += 1;
  const invoiceId = `PAIR-${invoices}`;
  const imported = await stack.call('POST', '/v1/import', {
    role: 'operations',
    body: customerBundle(CUSTOMER, [{ id: invoiceId, billed: BILLED[start] }]),
  });
  expect(imported.status).toBe(200);
  const opened = await openInPhase(stack, CUSTOMER, invoiceId, 'awaiting_decision');
  const id: string = opened.id;
  if (start === 'awaiting_decision') return id;
  const amount = start === 'awaiting_approval' ? '1600.00' : '600.00';
  expect((await act(id, decide(amount))).status).toBe(200);
  if (start === 'monitoring') {
    expect((await act(id, accept)).status).toBe(200);
    await waitForPhase(stack, id, 'monitoring');
  }
  return id;
}

function act(id: string, action: Action, headers: Record<string, string> = {}) {
  return stack.call('POST', `/v1/disputes/${id}/${action.path}`, {
    role: action.role,
    body: action.body,
    headers,
  });
}

/** The dispute once its workflow is quiet: no change under way, the read model caught up. */
async function settled(id: string): Promise<any> {
  return waitFor(
    async () => {
      const handle = stack.env.client.workflow.getHandle(`dispute-${id}`);
      const { raw } = await handle.describe();
      if ((raw.pendingActivities ?? []).length > 0) return undefined;
      const dispute = (await stack.call('GET', `/v1/disputes/${id}`)).body;
      return dispute.phase === 'correcting' ? undefined : dispute;
    },
    { what: `dispute ${id} to settle`, timeoutMs: 60_000, intervalMs: 100 },
  );
}

describe('two actions sent together', { timeout: 300_000 }, () => {
  for (const pair of PAIRS) {
    it(`${pair.name} (${pair.start})`, async () => {
      for (let run = 0; run < RUNS; run += 1) {
        const id = await disputeIn(pair.start);
        const [ra, rb] = await Promise.all([act(id, pair.a), act(id, pair.b)]);
        const dispute = await settled(id);
        const outcome = { a: ra.status, b: rb.status, end: dispute.phase };
        expect(pair.serial, JSON.stringify([ra.body, rb.body])).toContainEqual(outcome);

        // Money moves once at most: one credit note once the dispute was corrected, none otherwise.
        const corrected = pair.start === 'monitoring' || dispute.phase === 'monitoring';
        const credits = dispute.adjustments.filter((x: any) => x.kind === 'credit_note');
        expect(credits).toHaveLength(corrected ? 1 : 0);
        const types: string[] = dispute.timeline.map((e: any) => e.type);
        expect(types.filter((t) => t === 'corrected')).toHaveLength(corrected ? 1 : 0);
        // The customer is offered something once per decision that reached them.
        const offerEmails = dispute.timeline.filter(
          (e: any) => e.type === 'email_queued' && e.data?.kind === 'offer',
        );
        expect(offerEmails.length).toBeLessThanOrEqual(1);
        if (pair.name === 'two escalations') expect(dispute.escalationLevel).toBe(2);
        if (pair.start === 'awaiting_approval')
          expect(types.filter((t) => t === 'approved' || t === 'sent_back')).toHaveLength(1);
      }
    });
  }
});

describe('retried actions with an Idempotency-Key', { timeout: 300_000 }, () => {
  it('escalate retried with the same key escalates once and answers the same', async () => {
    const id = await disputeIn('awaiting_decision');
    const headers = { 'idempotency-key': `esc-${id}` };
    const [first, second] = await Promise.all([
      act(id, escalate, headers),
      act(id, escalate, headers),
    ]);
    const third = await act(id, escalate, headers);
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    const dispute = await settled(id);
    expect(dispute.escalationLevel).toBe(1);
    expect(dispute.timeline.filter((e: any) => e.type === 'escalated')).toHaveLength(1);
  });

  it('a note retried with the same key is added once', async () => {
    const id = await disputeIn('awaiting_decision');
    const headers = { 'idempotency-key': `note-${id}` };
    expect((await act(id, note, headers)).status).toBe(200);
    expect((await act(id, note, headers)).status).toBe(200);
    const dispute = await settled(id);
    expect(dispute.timeline.filter((e: any) => e.type === 'note')).toHaveLength(1);
  });

  it('the same key with another body or action is 409 and does nothing', async () => {
    const id = await disputeIn('awaiting_decision');
    const headers = { 'idempotency-key': `reuse-${id}` };
    expect((await act(id, escalate, headers)).status).toBe(200);
    const other = await act(id, { ...escalate, body: { reason: 'another reason' } }, headers);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect((await act(id, assign, headers)).status).toBe(409);
    const dispute = await settled(id);
    expect(dispute.escalationLevel).toBe(1);
    expect(dispute.assignee).toBeNull();
  });

  it('a decision retried after it moved the dispute answers 200 again instead of 409', async () => {
    const id = await disputeIn('awaiting_decision');
    const headers = { 'idempotency-key': `decide-${id}` };
    expect((await act(id, decide('600.00'), headers)).status).toBe(200);
    const retried = await act(id, decide('600.00'), headers);
    expect(retried.status).toBe(200);
    expect(retried.body.phase).toBe('awaiting_customer');
    const dispute = await settled(id);
    expect(dispute.timeline.filter((e: any) => e.type === 'decided')).toHaveLength(1);
  });
});

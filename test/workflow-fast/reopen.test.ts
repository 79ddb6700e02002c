// Reopening: a manager may reopen a closed dispute for the policy's monitoring period after it
// closed; it starts a new decision round, and a new correction is posted under its own step.
// Once the window has passed the workflow ends and nothing can change the dispute.
import { WorkflowNotFoundError } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { addBusinessDays, DAY_MS } from '../../domain/calendar';
import { DEFAULT_POLICY } from '../../domain/policy';
import { MANAGER, noDiscrepancy, overcharged, usd } from '../support/dispute-scripts';
import { driveTo, monitorToEnd } from '../support/drive-to';
import { summarize } from '../support/dispute-record';
import { fakeDisputeSuite } from '../support/fake-disputes';

const suite = fakeDisputeSuite();

const WINDOW_MS = DEFAULT_POLICY.monitoringDays * DAY_MS;
const reopen = { reason: 'the customer sent new evidence', actor: MANAGER };

describe('reopening a closed dispute', { timeout: 180_000 }, () => {
  it('reopens a corrected dispute for a new round whose correction is posted under its own step', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'monitoring');
      const closed = await monitorToEnd(world, dispute);
      expect(closed).toMatchObject({ resolution: 'corrected', round: 1 });

      const before = dispute.record();
      const from = await world.now();
      const view = await dispute.act('reopen', reopen);
      expect(view).toMatchObject({
        phase: 'awaiting_decision',
        round: 2,
        resolution: null,
        rootCause: null,
        closedAt: null,
        offer: null,
        escalationLevel: 0,
      });
      expect(Date.parse(view.deadline!)).toBeGreaterThanOrEqual(
        addBusinessDays(from, DEFAULT_POLICY.deadlines.decision, DEFAULT_POLICY.holidays),
      );
      await dispute.settled();
      expect(summarize(dispute.since(before))).toEqual({
        events: ['reopened', 'phase_changed→awaiting_decision'],
        emails: [],
        postings: [],
      });
      expect(dispute.since(before).events[0]).toMatchObject({
        actor: MANAGER,
        data: { reason: reopen.reason },
      });

      // The new evidence corrected the records: the rules now find 20.00 more than was credited.
      world.fakes.investigations.set(dispute.id, overcharged('70.00'));
      await dispute.act('decide', {
        resolution: 'credit_note',
        amount: usd('20.00'),
        byManager: true,
        actor: MANAGER,
      });
      await dispute.act('customerResponse', { accepted: true });
      await dispute.waitForPhase('monitoring');
      await dispute.settled();
      const postings = dispute.record().postings.map((p) => p.request);
      expect(postings.map((p) => p.amount)).toEqual([usd('50.00'), usd('20.00')]);
      expect(new Set(postings.map((p) => p.step)).size).toBe(2);
      // The ledger counted the first round's credit against what the rules find now.
      expect(dispute.record().postings[1]!.adjustments[0]!.details.guard).toMatchObject({
        discrepancy: usd('70.00'),
        correctedBefore: usd('50.00'),
      });
    }));

  it('starts the reopened dispute afresh: back at level 0, without the old offer', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_decision');
      await dispute.act('escalate', { reason: 'the customer called twice' });
      const closed = await dispute.act('decide', {
        resolution: 'reject',
        explanation: 'The price is the contract price.',
        byManager: false,
      });
      expect(closed).toMatchObject({ phase: 'closed', escalationLevel: 1, resolution: 'no_error' });
      const view = await dispute.act('reopen', reopen);
      expect(view).toMatchObject({
        phase: 'awaiting_decision',
        escalationLevel: 0,
        round: 2,
        resolution: null,
        rootCause: null,
        closedAt: null,
        offer: null,
      });
    }));

  it('reopens at the last moment of the window', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'closed');
      const { closedAt } = await dispute.view();
      await world.skipTo(Date.parse(closedAt!) + WINDOW_MS - 60_000);
      expect((await dispute.act('reopen', reopen)).phase).toBe('awaiting_decision');
    }));

  it('ends the workflow with the dispute closed once the window has passed; reopening then finds no workflow', () =>
    suite.run(async (world) => {
      const dispute = await world.open({ outcome: noDiscrepancy() });
      const closedAt = Date.parse((await dispute.waitForPhase('closed')).closedAt!);
      // Awaiting the result lets the server skip to the end of the window.
      const final = await dispute.handle.result();
      expect(final).toMatchObject({ phase: 'closed', resolution: 'no_error' });
      expect(await world.now()).toBeGreaterThanOrEqual(closedAt + WINDOW_MS);
      const error = await dispute.act('reopen', reopen).then(
        () => null,
        (rejection: unknown) => rejection,
      );
      expect(error).toBeInstanceOf(WorkflowNotFoundError);
    }));

  it('refuses a reopen after the window even while the workflow is still delivering its last email', () =>
    suite.run(async (world) => {
      // A one-day window, shorter than the three days an email may take to deliver.
      const dispute = await world.open({
        outcome: noDiscrepancy(),
        input: { policy: { ...DEFAULT_POLICY, monitoringDays: 1 } },
      });
      const smtpDown = world.fakes.fail(
        'deliverEmail',
        (messageId) => world.fakes.email(messageId)?.kind === 'no_error_explanation',
        { type: 'SmtpDown', message: 'SMTP refuses connections for now', retryable: true },
      );
      const { closedAt } = await dispute.waitForPhase('closed');
      await world.skipPast(Date.parse(closedAt!) + DAY_MS);
      expect((await dispute.handle.describe()).status.name).toBe('RUNNING');

      const failure = await dispute.refused('reopen', reopen);
      expect(failure.type).toBe('PhaseConflict');
      expect(failure.details).toEqual([{ phase: 'closed', action: 'reopen' }]);
      smtpDown.stop();
      expect(await dispute.handle.result()).toMatchObject({
        phase: 'closed',
        resolution: 'no_error',
      });
    }));
});

// One change at a time (issue 13): actions and timers that change a dispute take turns in the
// order they came, each validated again when its turn comes, so of two that conflict only the
// first succeeds; a client's retry of an answered action gets the same answer and changes nothing;
// the short writes of a change are local activities (issue 12).
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { finding, usd } from '../support/dispute-scripts';
import { DRIVE_AMOUNTS, driveTo } from '../support/drive-to';
import type { ActionArgs } from '../support/dispute-driver';
import { summarize } from '../support/dispute-record';
import type { ActivityName } from '../support/fake-activities';
import { fakeDisputeSuite } from '../support/fake-disputes';

const suite = fakeDisputeSuite();

const FINDINGS: ActionArgs<'submitFindings'> = {
  findings: [finding('pricing', DRIVE_AMOUNTS.decision)],
  verdict: 'overcharged',
};

describe('one change at a time', { timeout: 120_000 }, () => {
  it('runs actions in the order they came, each checked again when its turn comes', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_review');
      // The first action keeps the dispute's lock while its findings are saved.
      const saving = world.hold(dispute, 'saveFindings');
      const first = await dispute.accepted('submitFindings', FINDINGS);
      await saving.reached;
      // Each is accepted in awaiting_review, then waits its turn.
      const assign = await dispute.accepted('assign', { assignee: 'agent-7' });
      const second = await dispute.accepted('submitFindings', FINDINGS);
      const note = await dispute.accepted('note', { noteId: 'N-7' });
      expect((await dispute.view()).phase).toBe('awaiting_review');
      const before = dispute.record();

      saving.release();
      expect(await first.result()).toEqual({ disputeId: dispute.id, phase: 'awaiting_decision' });
      expect(await assign.result()).toEqual({ disputeId: dispute.id, phase: 'awaiting_decision' });
      const refusal = await second.result().then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (refusal as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect(cause).toMatchObject({
        type: 'PhaseConflict',
        details: [{ phase: 'awaiting_decision', action: 'submitFindings' }],
      });
      expect(await note.result()).toEqual({ disputeId: dispute.id, phase: 'awaiting_decision' });

      await dispute.settled();
      expect(summarize(dispute.since(before)).events).toEqual([
        'findings_submitted',
        'phase_changed→awaiting_decision',
        'assigned',
        'note',
      ]);
      expect(world.fakes.calls.get('saveFindings')).toBe(1);
    }));

  it("answers a client's retry of an action with the first answer, and changes nothing", () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_decision');
      const decision: ActionArgs<'decide'> = {
        resolution: 'credit_note',
        amount: usd(DRIVE_AMOUNTS.decision),
        byManager: false,
      };
      // Within a run the server answers a retry itself; monitoring.test.ts retries across
      // continue-as-new, where the workflow's own memory of answered updates does.
      const answer = await dispute.answerAs('decide-1', 'decide', decision);
      expect(answer).toEqual({ disputeId: dispute.id, phase: 'awaiting_customer' });
      // Retried where deciding is no longer allowed: still the first answer, not a conflict.
      let before = dispute.record();
      expect(await dispute.answerAs('decide-1', 'decide', decision)).toEqual(answer);
      expect(summarize(dispute.since(before))).toEqual({ events: [], emails: [], postings: [] });
      await dispute.act('customerResponse', { accepted: false });
      expect((await dispute.settled()).phase).toBe('awaiting_decision');

      // Retried after the dispute moved on (and back to a phase where decide is allowed).
      before = dispute.record();
      expect(await dispute.answerAs('decide-1', 'decide', decision)).toEqual(answer);
      expect(await dispute.settled()).toMatchObject({ phase: 'awaiting_decision', round: 2 });
      expect(summarize(dispute.since(before))).toEqual({ events: [], emails: [], postings: [] });
    }));

  it('writes the timeline, the read model and the outbox as local activities', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'monitoring');
      await dispute.act('assign', { assignee: 'agent-7' });
      await dispute.settled();
      const local: ActivityName[] = ['projectDispute', 'queueEmail', 'recordEvent'];
      expect([...world.fakes.ranLocally].sort()).toEqual(local);
      expect([...world.fakes.ranRemotely].filter((a) => local.includes(a))).toEqual([]);
      expect([...world.fakes.ranRemotely].sort()).toEqual(
        expect.arrayContaining(['applyCorrection', 'deliverEmail', 'investigate']),
      );
    }));

  it("checks a person's decision against the ledger in a local activity", () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_review');
      await dispute.act('submitFindings', FINDINGS);
      await dispute.act('decide', {
        resolution: 'credit_note',
        amount: usd(DRIVE_AMOUNTS.decision),
        byManager: false,
      });
      await dispute.settled();
      expect(world.fakes.ranLocally.has('checkCorrection')).toBe(true);
      expect(world.fakes.ranRemotely.has('checkCorrection')).toBe(false);
    }));

  it('versions every write of the read model, the last one as the dispute ends', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_customer');
      await dispute.act('customerResponse', { accepted: true });
      await dispute.waitForPhase('monitoring');
      const view = await dispute.settled();
      const versions = dispute.record().projections.map((p) => p.version);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
      expect(view.version).toBe(versions.at(-1));
      expect(dispute.record().projections.at(-1)).toMatchObject({
        phase: 'monitoring',
        version: view.version,
      });
    }));
});

// The dispute and the ledger's guard (issue 10): a decision, approval or mediation agreement the
// books would refuse is refused at once (422) and changes nothing; a correction the records no
// longer justify when it is posted sends the dispute back to a decision; a manager's reversal
// mirrors a correction's documents, tells the customer, and reopens the decision. The fake ledger
// runs the real ledger's plans, so the refusals here are the ones the books would make.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../domain/policy';
import {
  CONTACT,
  MANAGER,
  finding,
  overcharged,
  undercharged,
  usd,
} from '../support/dispute-scripts';
import { DRIVE_AMOUNTS, driveTo, monitorToEnd } from '../support/drive-to';
import type { ActionArgs, Dispute } from '../support/dispute-driver';
import { summarize } from '../support/dispute-record';
import { dataOf } from '../support/fake-activities';
import { fakeDisputeSuite } from '../support/fake-disputes';

const suite = fakeDisputeSuite();

const CUSTOMER = CONTACT.email;
const [AGENTS, TEAM_LEAD] = DEFAULT_POLICY.contacts.map((c) => c.email);

/** Refused as Unprocessable with a message matching `why`; the dispute is left as it was. */
async function expectRefusedByLedger(
  dispute: Dispute,
  send: () => Promise<unknown>,
  why: RegExp,
): Promise<void> {
  const view = await dispute.view();
  const before = dispute.record();
  const error = await send().then(
    () => {
      throw new Error('the ledger check let it through');
    },
    (rejection: unknown) => rejection as { cause?: { type?: string; message?: string } },
  );
  expect(error.cause?.type).toBe('Unprocessable');
  expect(error.cause?.message).toMatch(why);
  expect(await dispute.settled()).toEqual(view);
  expect(summarize(dispute.since(before))).toEqual({ events: [], emails: [], postings: [] });
}

const decision = (amount: string, extra: Partial<ActionArgs<'decide'>> = {}) =>
  ({
    resolution: 'credit_note',
    amount: usd(amount),
    byManager: true,
    actor: MANAGER,
    ...extra,
  }) as const;

/** The documents a correction posted, by number. */
const documentsOf = (dispute: Dispute, index = 0): string[] =>
  dispute.record().postings[index]!.adjustments.map((a) => a.documentNumber);

async function monitoredAfter(dispute: Dispute): Promise<void> {
  await dispute.act('customerResponse', { accepted: true });
  await dispute.waitForPhase('monitoring');
  await dispute.settled();
}

describe('decisions checked against the ledger', { timeout: 120_000 }, () => {
  it('refuses a decision the records no longer justify, naming what is left to correct', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_decision');
      // Since the investigation, a corrected price list was imported: 100.00 is wrong, not 500.00.
      world.fakes.investigations.set(dispute.id, overcharged('100.00'));
      await expectRefusedByLedger(
        dispute,
        () => dispute.answer('decide', decision(DRIVE_AMOUNTS.decision)),
        /credit_note of 500\.00 USD exceeds what is left to correct .*overcharged by 100\.00/,
      );
      expect(world.fakes.ledger.checks.at(-1)?.request).toMatchObject({
        disputeId: dispute.id,
        kind: 'credit_note',
        amount: usd(DRIVE_AMOUNTS.decision),
        step: 'correction.1',
        basis: 'rules',
        approvedBy: MANAGER,
      });

      const offered = await dispute.act('decide', decision('100.00'));
      expect(offered.phase).toBe('awaiting_customer');
    }));

  it('refuses an approval the records no longer justify; the decision stays with the manager', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_approval');
      world.fakes.investigations.set(dispute.id, overcharged('1000.00'));
      await expectRefusedByLedger(
        dispute,
        () => dispute.answer('approve', { approved: true, actor: MANAGER }),
        /exceeds what is left to correct/,
      );
      expect((await dispute.view()).offer?.approvedBy).toBeNull();
      // Sending it back needs no check.
      expect((await dispute.act('approve', { approved: false, actor: MANAGER })).phase).toBe(
        'awaiting_decision',
      );
    }));

  it('refuses a mediation agreement above what the rules find wrong', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'mediation');
      await expectRefusedByLedger(
        dispute,
        () =>
          dispute.answer('mediationOutcome', {
            agreed: true,
            resolution: 'credit_note',
            amount: usd('600.00'),
            actor: MANAGER,
          }),
        /exceeds what is left to correct/,
      );
    }));

  it('posts a payment plan agreed in mediation with the installments agreed', () =>
    suite.run(async (world) => {
      const dispute = await world.open({ outcome: undercharged('300.00') });
      await dispute.waitForPhase('awaiting_decision');
      for (let round = 1; round <= DEFAULT_POLICY.maxRounds; round += 1) {
        await dispute.act(
          'decide',
          decision('300.00', { resolution: 'payment_plan', installments: 3 }),
        );
        await dispute.act('customerResponse', { accepted: false });
      }
      expect((await dispute.settled()).phase).toBe('mediation');
      await dispute.act('mediationOutcome', {
        agreed: true,
        resolution: 'payment_plan',
        amount: usd('300.00'),
        installments: 4,
        actor: MANAGER,
      });
      await dispute.waitForPhase('monitoring');
      await dispute.settled();
      const [posting] = dispute.record().postings;
      expect(posting!.request).toMatchObject({ kind: 'payment_plan', installments: 4 });
      expect(posting!.adjustments[0]!.installments).toHaveLength(4);
    }));

  it('weighs the corrections of a reviewed dispute against the reviewed findings', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_review');
      await dispute.act('submitFindings', {
        findings: [finding('pricing', '300.00')],
        verdict: 'overcharged',
      });
      expect((await dispute.settled()).phase).toBe('awaiting_decision');
      await expectRefusedByLedger(
        dispute,
        () => dispute.answer('decide', decision('400.00')),
        /the reviewed findings find it overcharged by 300\.00/,
      );
      await dispute.act('decide', decision('300.00'));
      await monitoredAfter(dispute);
      const [posting] = dispute.record().postings;
      expect(posting!.request.basis).toBe('review');
      expect(posting!.adjustments[0]!.details.guard).toMatchObject({
        basis: 'review',
        discrepancy: usd('300.00'),
      });
    }));
});

describe('a correction the ledger refuses when it is posted', { timeout: 120_000 }, () => {
  it('goes back to a decision with the staff told, and posts the next decision under a new step', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_customer');
      await dispute.act('assign', { assignee: 'agent-7' });
      // Between the offer and the customer's yes, a payment run corrected most of the price.
      world.fakes.investigations.set(dispute.id, overcharged('20.00'));
      const before = dispute.record();
      await dispute.act('customerResponse', { accepted: true });
      const view = await dispute.waitForPhase('awaiting_decision');
      await dispute.settled();
      expect(view).toMatchObject({ offer: null, round: 1 });

      const since = dispute.since(before);
      expect(summarize(since)).toEqual({
        events: [
          'customer_accepted',
          'phase_changed→correcting',
          'correction_failed',
          'phase_changed→awaiting_decision',
        ],
        emails: [`correction_failed → ${AGENTS}`, `correction_failed → ${TEAM_LEAD}`],
        postings: [],
      });
      const refusal = world.fakes.unscriptedRefusals();
      expect(refusal).toEqual([
        expect.objectContaining({ activity: 'applyCorrection', type: 'UnjustifiedCorrection' }),
      ]);
      world.expectedRefusals.push(...refusal);
      expect(since.events[2]!.data).toEqual({
        step: 'correction.1',
        type: 'UnjustifiedCorrection',
        message: refusal[0]!.message,
      });
      const told = dataOf(since.emails[0], 'correction_failed');
      expect(told).toMatchObject({
        recipientName: 'agent-7',
        proposal: { remedy: 'credit_note', amount: usd(DRIVE_AMOUNTS.autoCredit) },
        problem: refusal[0]!.message,
        decideBy: view.deadline,
      });

      await dispute.act('decide', decision('20.00'));
      await monitoredAfter(dispute);
      expect(dispute.record().postings.map((p) => p.request.step)).toEqual(['correction.2']);
    }));
});

describe('a manager reverses a posted correction', { timeout: 180_000 }, () => {
  it('reverses every document of a refund, last issued first, tells the customer, and decides anew', () =>
    suite.run(async (world) => {
      const dispute = await world.open({ outcome: overcharged('300.00') });
      await dispute.waitForPhase('awaiting_decision');
      await dispute.act('decide', decision('300.00', { resolution: 'refund' }));
      await monitoredAfter(dispute);
      const [creditNote, refund] = documentsOf(dispute);
      expect([creditNote, refund]).toEqual([
        expect.stringMatching(/^CN-/),
        expect.stringMatching(/^RF-/),
      ]);

      const before = dispute.record();
      const view = await dispute.act('reverse', {
        documentNumber: refund!,
        reason: 'refunded to the wrong account',
        actor: MANAGER,
      });
      expect(view).toMatchObject({ phase: 'awaiting_decision', round: 2, offer: null });
      await dispute.settled();
      const since = dispute.since(before);
      expect(summarize(since)).toEqual({
        events: ['correction_reversed', 'phase_changed→awaiting_decision'],
        emails: [`correction_reversed → ${CUSTOMER}`],
        postings: ['reversal of refund', 'reversal of credit_note'],
      });
      const [reversal] = since.reversals;
      expect(reversal!.request).toMatchObject({ step: 'reversal.1', reversedBy: MANAGER });
      const reversals = reversal!.adjustments.map((a) => a.documentNumber);
      expect(since.events[0]).toMatchObject({
        actor: MANAGER,
        data: {
          documentNumber: refund,
          reason: 'refunded to the wrong account',
          reversals: [
            expect.objectContaining({ documentNumber: reversals[0], reverses: refund }),
            expect.objectContaining({ documentNumber: reversals[1], reverses: creditNote }),
          ],
        },
      });
      const letter = dataOf(since.emails[0], 'correction_reversed');
      expect(letter.reversals).toEqual(reversals);
      expect(letter.reversed.map((d) => d.number)).toEqual([refund, creditNote]);
      expect(letter.reason).toBe('refunded to the wrong account');

      // Reversed, nothing is corrected any more: the full amount may be credited again.
      await dispute.act('decide', decision('300.00'));
      await monitoredAfter(dispute);
      expect(dispute.record().postings[1]!.adjustments[0]!.details.guard).toMatchObject({
        correctedBefore: usd('0.00'),
        discrepancy: usd('300.00'),
      });
    }));

  it('stops monitoring: invoices signalled after the reversal are not checked', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'monitoring');
      await dispute.act('reverse', {
        documentNumber: documentsOf(dispute)[0]!,
        reason: 'wrong customer',
        actor: MANAGER,
      });
      await dispute.signalNewInvoice('INV-AFTER');
      const view = await dispute.settled();
      expect(view.phase).toBe('awaiting_decision');
      expect(world.fakes.recurrenceChecks).toEqual([]);
    }));

  it('reverses a correction after monitoring ended and the dispute closed', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'monitoring');
      expect(await monitorToEnd(world, dispute)).toMatchObject({ resolution: 'corrected' });
      const view = await dispute.act('reverse', {
        documentNumber: documentsOf(dispute)[0]!,
        reason: 'credited the wrong invoice',
        actor: MANAGER,
      });
      expect(view).toMatchObject({
        phase: 'awaiting_decision',
        resolution: null,
        rootCause: null,
        closedAt: null,
        round: 2,
      });
      expect(view.deadline).not.toBeNull();
    }));

  it('refuses a document it does not know, another dispute’s, or one already reversed (422)', () =>
    suite.run(async (world) => {
      const other = await driveTo(world, 'monitoring');
      const dispute = await driveTo(world, 'monitoring');
      const reverse = (documentNumber: string) => () =>
        dispute.answer('reverse', { documentNumber, reason: 'posted in error', actor: MANAGER });
      await expectRefusedByLedger(
        dispute,
        reverse('CN-999999'),
        /document CN-999999 does not exist/,
      );
      await expectRefusedByLedger(
        dispute,
        reverse(documentsOf(other)[0]!),
        new RegExp(`was posted for dispute ${other.id}, not ${dispute.id}`),
      );

      const first = documentsOf(dispute)[0]!;
      await reverse(first)();
      await dispute.act('decide', decision(DRIVE_AMOUNTS.autoCredit));
      await monitoredAfter(dispute);
      await expectRefusedByLedger(dispute, reverse(first), /is already reversed by RV-/);
      expect(world.fakes.unscriptedRefusals().map((r) => r.type)).toEqual([
        'MissingRecord',
        'InvalidCorrection',
        'InvalidCorrection',
      ]);
      world.expectedRefusals.push(...world.fakes.unscriptedRefusals());
    }));
});

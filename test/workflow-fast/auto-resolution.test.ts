// What the policy settles without a person once the investigation is done: no discrepancy is
// explained and closed, a small overcharge gets a credit-note offer, a small undercharge is
// written off; anything unclear, and reasons the rules cannot judge, go to a person's review.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../domain/policy';
import {
  CONTACT,
  finding,
  needsReview,
  noDiscrepancy,
  overcharged,
  undercharged,
  usd,
} from '../support/dispute-scripts';
import { dataOf } from '../support/fake-activities';
import { summarize } from '../support/dispute-record';
import { fakeDisputeSuite } from '../support/fake-disputes';

const suite = fakeDisputeSuite();

const CUSTOMER = CONTACT.email;
const START = ['acknowledged', 'phase_changed→investigating', 'investigated'];
const CLAUSES = [{ reference: 'K-100/D-1', summary: 'volume: 5% on SW-24 from 100 units' }];

describe('auto-resolution by policy', { timeout: 120_000 }, () => {
  it('explains the billing policy and closes as no_error when nothing is wrong', () =>
    suite.run(async (world) => {
      const dispute = await world.open({
        outcome: noDiscrepancy(CLAUSES),
        input: { reason: 'discount_request' },
      });
      await dispute.waitForPhase('closed');
      const view = await dispute.settled();
      expect(view).toMatchObject({
        resolution: 'no_error',
        rootCause: 'no_error',
        verdict: 'no_discrepancy',
        totalDelta: usd('0.00'),
        offer: null,
      });
      const record = dispute.record();
      expect(summarize(record)).toEqual({
        events: [...START, 'phase_changed→closed', 'closed'],
        emails: [
          `acknowledgement → ${CUSTOMER}`,
          `findings → ${CUSTOMER}`,
          `no_error_explanation → ${CUSTOMER}`,
        ],
        postings: [],
      });
      expect(dataOf(record.emails[2], 'no_error_explanation')).toMatchObject({
        reason: 'discount_request',
        explanation: null,
        discountClauses: CLAUSES,
      });
    }));

  it('offers a credit note by itself for an overcharge up to the auto-approve limit', () =>
    suite.run(async (world) => {
      const limit = DEFAULT_POLICY.autoApproveLimit;
      const dispute = await world.open({ outcome: overcharged(limit) });
      await dispute.waitForPhase('awaiting_customer');
      const view = await dispute.settled();
      expect(view.offer).toEqual({
        kind: 'credit_note',
        amount: usd(limit),
        installments: null,
        explanation: null,
        round: 1,
        decidedBy: 'system',
        approvedBy: null,
      });
      const record = dispute.record();
      expect(summarize(record)).toEqual({
        events: [...START, 'auto_resolved', 'phase_changed→awaiting_customer'],
        emails: [`acknowledgement → ${CUSTOMER}`, `findings → ${CUSTOMER}`, `offer → ${CUSTOMER}`],
        postings: [],
      });
      expect(record.events.find((e) => e.type === 'auto_resolved')?.data).toEqual({
        remedy: 'credit_note',
        amount: usd(limit),
      });
      expect(dataOf(record.emails[2], 'offer')).toMatchObject({
        proposal: { remedy: 'credit_note', amount: usd(limit) },
        respondBy: view.deadline,
        round: 1,
      });
    }));

  it('writes off an undercharge up to the write-off limit without asking anyone', () =>
    suite.run(async (world) => {
      const limit = DEFAULT_POLICY.writeOffLimit;
      const dispute = await world.open({ outcome: undercharged(limit) });
      await dispute.waitForPhase('closed');
      const view = await dispute.settled();
      expect(view).toMatchObject({
        resolution: 'written_off',
        rootCause: 'unbilled',
        offer: { kind: 'write_off', amount: usd(limit), decidedBy: 'system' },
      });
      const record = dispute.record();
      expect(summarize(record)).toEqual({
        events: [
          ...START,
          'auto_resolved',
          'phase_changed→correcting',
          'corrected',
          'phase_changed→closed',
          'closed',
        ],
        emails: [`acknowledgement → ${CUSTOMER}`, `findings → ${CUSTOMER}`],
        postings: ['write_off'],
      });
      expect(record.postings[0]!.request).toMatchObject({
        amount: usd(limit),
        basis: 'rules',
        approvedBy: null,
      });
    }));

  it('leaves amounts a cent above the limits to an agent', () =>
    suite.run(async (world) => {
      for (const outcome of [overcharged('100.01'), undercharged('25.01')]) {
        const dispute = await world.open({ outcome });
        await dispute.waitForPhase('awaiting_decision');
        const view = await dispute.settled();
        expect(view, outcome.verdict).toMatchObject({ offer: null, escalationLevel: 0 });
        expect(summarize(dispute.record()), outcome.verdict).toEqual({
          events: [...START, 'phase_changed→awaiting_decision'],
          emails: [`acknowledgement → ${CUSTOMER}`, `findings → ${CUSTOMER}`],
          postings: [],
        });
      }
    }));

  it('sends findings the rules cannot settle to a review, telling the customer nothing yet', () =>
    suite.run(async (world) => {
      const dispute = await world.open({ outcome: needsReview() });
      await dispute.waitForPhase('awaiting_review');
      const view = await dispute.settled();
      expect(view).toMatchObject({ verdict: 'needs_review', offer: null });
      expect(summarize(dispute.record())).toEqual({
        events: [...START, 'phase_changed→awaiting_review'],
        emails: [`acknowledgement → ${CUSTOMER}`],
        postings: [],
      });
    }));

  for (const reason of ['other', 'service_not_rendered'] as const) {
    it(`reviews a dispute of reason ${reason} first, then applies the policy to the reviewed findings`, () =>
      suite.run(async (world) => {
        // Small enough for a credit note by policy, yet a person reviews it first.
        const dispute = await world.open({ outcome: overcharged('50.00'), input: { reason } });
        await dispute.waitForPhase('awaiting_review');
        await dispute.settled();
        const reviewed = [finding('pricing', '30.00')];
        const before = dispute.record();
        await dispute.act('submitFindings', { findings: reviewed, verdict: 'overcharged' });
        await dispute.waitForPhase('awaiting_customer');
        const view = await dispute.settled();
        expect(view).toMatchObject({
          findings: reviewed,
          totalDelta: usd('30.00'),
          offer: { kind: 'credit_note', amount: usd('30.00'), decidedBy: 'system' },
        });
        expect(summarize(dispute.since(before))).toEqual({
          events: ['findings_submitted', 'auto_resolved', 'phase_changed→awaiting_customer'],
          emails: [`findings → ${CUSTOMER}`, `offer → ${CUSTOMER}`],
          postings: [],
        });
        expect(world.fakes.savedFindings.at(-1)).toEqual({
          disputeId: dispute.id,
          findings: reviewed,
        });
      }));
  }

  it('reviews an internal case first and never writes to the customer', () =>
    suite.run(async (world) => {
      const dispute = await world.open({
        outcome: overcharged('50.00'),
        input: { internal: true, reason: 'other' },
      });
      await dispute.waitForPhase('awaiting_review');
      await dispute.settled();
      await dispute.act('submitFindings', { findings: [], verdict: 'no_discrepancy' });
      const view = await dispute.waitForPhase('closed');
      expect(view).toMatchObject({ resolution: 'no_error', rootCause: 'no_error' });
      await dispute.settled();
      expect(summarize(dispute.record()).emails).toEqual([]);
    }));
});

// From findings to an agreed remedy: decisions within and above the agent's limit, approvals,
// the customer's rounds, mediation after the last one, and what each remedy posts and tells the
// customer.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../domain/policy';
import {
  AGENT,
  CONTACT,
  MANAGER,
  overcharged,
  undercharged,
  usd,
} from '../support/dispute-scripts';
import { DRIVE_AMOUNTS, driveTo, monitorToEnd } from '../support/drive-to';
import { type Dispute } from '../support/dispute-driver';
import { inAnyOrder, summarize } from '../support/dispute-record';
import { fakeDisputeSuite, type World } from '../support/fake-disputes';
import { dataOf, type InvestigationOutcome } from '../support/fake-activities';

const suite = fakeDisputeSuite();

const CUSTOMER = CONTACT.email;
const [AGENTS, , BILLING_MANAGER] = DEFAULT_POLICY.contacts.map((c) => c.email);

async function openAtDecision(world: World, outcome: InvestigationOutcome): Promise<Dispute> {
  const dispute = await world.open({ outcome });
  await dispute.waitForPhase('awaiting_decision');
  await dispute.settled();
  return dispute;
}

describe('negotiation', { timeout: 180_000 }, () => {
  it('gives the customer a new round after each rejection, and mediation after the last', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_decision');
      const { maxRounds } = dispute.input.policy;
      expect(maxRounds).toBe(3);
      const amount = usd(DRIVE_AMOUNTS.decision);

      for (let round = 1; round <= maxRounds; round += 1) {
        let before = dispute.record();
        const offered = await dispute.act('decide', {
          resolution: 'credit_note',
          amount,
          byManager: false,
        });
        expect(offered).toMatchObject({ phase: 'awaiting_customer', round, offer: { round } });
        const offer = dispute.since(before).emails;
        expect(offer.map((e) => e.kind)).toEqual(['offer']);
        expect(offer[0]!.message.data).toMatchObject({ round });

        before = dispute.record();
        const last = round === maxRounds;
        const answered = await dispute.act('customerResponse', {
          accepted: false,
          comment: `not enough (round ${round})`,
        });
        const view = await dispute.settled();
        expect(answered.phase).toBe(view.phase);
        if (last) {
          expect(view).toMatchObject({ phase: 'mediation', round, offer: { round } });
        } else {
          expect(view).toMatchObject({ phase: 'awaiting_decision', round: round + 1, offer: null });
        }
        const since = dispute.since(before);
        expect(summarize(since)).toEqual({
          events: ['customer_rejected', `phase_changed→${view.phase}`],
          emails: [
            `customer_rejected → ${AGENTS}`,
            ...(last ? [`mediation_started → ${BILLING_MANAGER}`] : []),
          ],
          postings: [],
        });
        expect(since.events[0]!.data).toMatchObject({
          round,
          comment: `not enough (round ${round})`,
        });
        expect(since.emails[0]!.message.data).toMatchObject({
          round,
          maxRounds,
          nextStep: last ? 'mediation' : 'new_round',
          comment: `not enough (round ${round})`,
          decideBy: view.deadline,
        });
        if (last)
          expect(since.emails[1]!.message.data).toMatchObject({
            rounds: maxRounds,
            lastProposal: { remedy: 'credit_note', amount },
            outcomeBy: view.deadline,
          });
      }
    }));

  it('goes to mediation after the first rejection when the policy allows one round', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_customer', {
        input: { policy: { ...DEFAULT_POLICY, maxRounds: 1 } },
      });
      const view = await dispute.act('customerResponse', { accepted: false });
      expect(view).toMatchObject({ phase: 'mediation', round: 1 });
    }));

  it('corrects what mediation agreed, with the mediator as approver, and closes as mediated after monitoring', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'mediation');
      const before = dispute.record();
      await dispute.act('mediationOutcome', {
        agreed: true,
        resolution: 'credit_note',
        amount: usd('400.00'),
        actor: MANAGER,
      });
      const monitoring = await dispute.settled();
      expect(monitoring).toMatchObject({
        phase: 'monitoring',
        offer: { kind: 'credit_note', amount: usd('400.00'), approvedBy: MANAGER },
      });
      expect(dispute.since(before).postings.map((p) => p.request)).toEqual([
        expect.objectContaining({
          kind: 'credit_note',
          amount: usd('400.00'),
          approvedBy: MANAGER,
          basis: 'rules',
        }),
      ]);
      // The ledger weighed it against what the rules find wrong on the invoice.
      expect(dispute.since(before).postings[0]!.adjustments[0]!.details.guard).toEqual({
        basis: 'rules',
        discrepancy: usd(DRIVE_AMOUNTS.decision),
        correctedBefore: usd('0.00'),
        effect: usd('400.00'),
      });

      const closed = await monitorToEnd(world, dispute);
      expect(closed).toMatchObject({
        phase: 'closed',
        resolution: 'mediated',
        rootCause: 'pricing',
      });
    }));

  it('closes as mediated when mediation reaches no agreement, or agrees to reject', () =>
    suite.run(async (world) => {
      for (const outcome of [{ agreed: false }, { agreed: true, resolution: 'reject' as const }]) {
        const dispute = await driveTo(world, 'mediation');
        const before = dispute.record();
        const view = await dispute.act('mediationOutcome', { ...outcome, actor: MANAGER });
        expect(view).toMatchObject({
          phase: 'closed',
          resolution: 'mediated',
          rootCause: 'pricing',
        });
        await dispute.settled();
        expect(summarize(dispute.since(before))).toEqual({
          events: ['mediation_outcome', 'phase_changed→closed', 'closed'],
          emails: [],
          postings: [],
        });
      }
    }));

  it('sends a decision above the agent limit to a manager, who may send it back, then approves it', () =>
    suite.run(async (world) => {
      const amount = usd(DRIVE_AMOUNTS.approval);
      const dispute = await driveTo(world, 'awaiting_approval');
      const requested = dispute.record().emails.filter((e) => e.kind === 'approval_requested');
      expect(requested.map((e) => e.to.email)).toEqual([BILLING_MANAGER]);
      expect(requested[0]!.message.data).toMatchObject({
        requestedBy: AGENT,
        proposal: { remedy: 'credit_note', amount },
        agentLimit: usd(DEFAULT_POLICY.agentLimit),
        approveBy: (await dispute.view()).deadline,
      });

      let before = dispute.record();
      const sentBack = await dispute.act('approve', {
        approved: false,
        comment: 'check the duplicate first',
        actor: MANAGER,
      });
      expect(sentBack).toMatchObject({ phase: 'awaiting_decision', offer: null, round: 1 });
      await dispute.settled();
      expect(summarize(dispute.since(before))).toEqual({
        events: ['sent_back', 'phase_changed→awaiting_decision'],
        emails: [],
        postings: [],
      });

      await dispute.act('decide', { resolution: 'credit_note', amount, byManager: false });
      before = dispute.record();
      const approved = await dispute.act('approve', { approved: true, actor: MANAGER });
      expect(approved).toMatchObject({
        phase: 'awaiting_customer',
        offer: { kind: 'credit_note', amount, decidedBy: AGENT, approvedBy: MANAGER },
      });
      await dispute.act('customerResponse', { accepted: true });
      await dispute.waitForPhase('monitoring');
      await dispute.settled();
      expect(dispute.since(before).postings.map((p) => p.request)).toEqual([
        expect.objectContaining({ kind: 'credit_note', amount, approvedBy: MANAGER }),
      ]);
    }));

  it('lets a manager decide above the agent limit without a separate approval', () =>
    suite.run(async (world) => {
      const amount = usd(DRIVE_AMOUNTS.approval);
      const dispute = await openAtDecision(world, overcharged(DRIVE_AMOUNTS.approval));
      const view = await dispute.act('decide', {
        resolution: 'credit_note',
        amount,
        byManager: true,
        actor: MANAGER,
      });
      expect(view).toMatchObject({
        phase: 'awaiting_customer',
        offer: { decidedBy: MANAGER, approvedBy: MANAGER },
      });
    }));

  it("closes a rejected claim as no_error, explaining the agent's reasons to the customer", () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_decision');
      const before = dispute.record();
      const view = await dispute.act('decide', {
        resolution: 'reject',
        explanation: 'The contract price changed on 1 March.',
        byManager: false,
      });
      expect(view).toMatchObject({ phase: 'closed', resolution: 'no_error', offer: null });
      await dispute.settled();
      const since = dispute.since(before);
      expect(summarize(since)).toEqual({
        events: ['decided', 'phase_changed→closed', 'closed'],
        emails: [`no_error_explanation → ${CUSTOMER}`],
        postings: [],
      });
      expect(since.emails[0]!.message.data).toMatchObject({
        explanation: 'The contract price changed on 1 March.',
      });
    }));

  it('writes off an undercharge by decision: posted at once and closed, with nothing to monitor', () =>
    suite.run(async (world) => {
      const dispute = await openAtDecision(world, undercharged('300.00'));
      const before = dispute.record();
      await dispute.act('decide', {
        resolution: 'write_off',
        amount: usd('300.00'),
        byManager: false,
      });
      const view = await dispute.waitForPhase('closed');
      expect(view).toMatchObject({ resolution: 'written_off', rootCause: 'unbilled' });
      await dispute.settled();
      const since = dispute.since(before);
      expect(inAnyOrder(summarize(since))).toEqual(
        inAnyOrder({
          events: [
            'decided',
            'phase_changed→correcting',
            'corrected',
            'phase_changed→closed',
            'closed',
          ],
          emails: [],
          postings: ['write_off'],
        }),
      );
      expect(since.postings[0]!.request).toMatchObject({
        amount: usd('300.00'),
        basis: 'rules',
        approvedBy: null,
      });
    }));

  it('offers a payment plan with its installments and schedules the very dates the customer accepted', () =>
    suite.run(async (world) => {
      const dispute = await openAtDecision(world, undercharged('300.00'));
      let before = dispute.record();
      await dispute.act('decide', {
        resolution: 'payment_plan',
        amount: usd('300.00'),
        installments: 3,
        byManager: false,
      });
      const offer = dispute.since(before).emails;
      expect(offer.map((e) => e.kind)).toEqual(['offer']);
      const { proposal } = dataOf(offer[0], 'offer');
      expect(proposal).toMatchObject({
        remedy: 'payment_plan',
        amount: usd('300.00'),
        installments: [
          { amount: usd('100.00') },
          { amount: usd('100.00') },
          { amount: usd('100.00') },
        ],
      });

      // A week later the customer accepts: the schedule still counts from the offer.
      await world.skipTo((await world.now()) + 7 * 86_400_000);
      before = dispute.record();
      await dispute.act('customerResponse', { accepted: true });
      await dispute.waitForPhase('monitoring');
      await dispute.settled();
      const since = dispute.since(before);
      expect(summarize(since).postings).toEqual(['payment_plan']);
      expect(since.postings[0]!.request).toMatchObject({ installments: 3 });
      const schedule = since.emails.filter((e) => e.kind === 'payment_plan_schedule');
      expect(schedule.map((e) => e.to.email)).toEqual([CUSTOMER]);
      expect(schedule[0]!.message.data).toMatchObject({
        total: usd('300.00'),
        installments: 'installments' in proposal ? proposal.installments : null,
      });
    }));

  const REMEDIES = [
    { kind: 'credit_note', outcome: overcharged('300.00'), documents: ['credit_note'] },
    { kind: 'refund', outcome: overcharged('300.00'), documents: ['credit_note', 'refund'] },
    { kind: 'corrected_invoice', outcome: overcharged('300.00'), documents: ['corrected_invoice'] },
    { kind: 'debit_note', outcome: undercharged('300.00'), documents: ['debit_note'] },
    {
      kind: 'corrected_invoice',
      outcome: undercharged('300.00'),
      documents: ['corrected_invoice'],
    },
  ] as const;

  for (const { kind, outcome, documents } of REMEDIES) {
    it(`posts an accepted ${kind} (${outcome.verdict}) once and confirms ${documents.join(' and ')} to the customer`, () =>
      suite.run(async (world) => {
        const dispute = await openAtDecision(world, outcome);
        await dispute.act('decide', { resolution: kind, amount: usd('300.00'), byManager: false });
        const before = dispute.record();
        await dispute.act('customerResponse', { accepted: true });
        const view = await dispute.waitForPhase('monitoring');
        expect(view.offer).toMatchObject({ kind, amount: usd('300.00') });
        await dispute.settled();
        const since = dispute.since(before);
        expect(inAnyOrder(summarize(since))).toEqual(
          inAnyOrder({
            events: [
              'customer_accepted',
              'phase_changed→correcting',
              'corrected',
              'phase_changed→monitoring',
            ],
            emails: [`correction_confirmation → ${CUSTOMER}`],
            postings: [kind],
          }),
        );
        const confirmation = dataOf(since.emails[0], 'correction_confirmation');
        expect(confirmation.documents.map((d) => d.type)).toEqual(documents);
        const corrected = since.events.find((e) => e.type === 'corrected');
        expect(corrected?.data).toMatchObject({
          adjustments: since.postings[0]!.adjustments.map((a) =>
            expect.objectContaining({ kind: a.kind, documentNumber: a.documentNumber }),
          ),
        });
      }));
  }
});

// Business failures: an activity that fails for good (a non-retryable ApplicationFailure — records
// missing or unreadable, a correction the ledger refuses, an email no server will take) is called
// once, recorded, and the dispute goes on; the workflow never fails because of one. Every
// non-retryable type of every proxy in workflows/activities.ts is driven through every activity the
// workflow calls through that proxy, read from the code, so a new type or call needs a case here.
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../domain/calendar';
import { DEFAULT_POLICY } from '../../domain/policy';
import { activityProxies } from '../support/activity-proxies';
import { CONTACT, MANAGER, finding, overcharged } from '../support/dispute-scripts';
import { DRIVE_AMOUNTS, driveTo } from '../support/drive-to';
import type { Dispute } from '../support/dispute-driver';
import { summarize } from '../support/dispute-record';
import { dataOf, type ActivityName } from '../support/fake-activities';
import { fakeDisputeSuite, type World } from '../support/fake-disputes';

const suite = fakeDisputeSuite();

const CUSTOMER = CONTACT.email;
const [AGENTS, TEAM_LEAD] = DEFAULT_POLICY.contacts.map((c) => c.email);

const failure = (activity: string, type: string): { type: string; message: string } => ({
  type,
  message: `${activity} refused for good (${type})`,
});

async function expectRunning(dispute: Dispute): Promise<void> {
  expect((await dispute.handle.describe()).status.name).toBe('RUNNING');
}

/** What each activity's failure leads to, for any non-retryable type. */
const SCENARIOS: Partial<Record<ActivityName, (world: World, type: string) => Promise<void>>> = {
  // The rules cannot run on the records: a person reviews the dispute instead.
  async investigate(world, type) {
    const refused = failure('investigate', type);
    const dispute = await world.open({
      outcome: overcharged(DRIVE_AMOUNTS.decision),
      beforeStart: (d) => world.fakes.fail('investigate', (r) => r.disputeId === d.id, refused),
    });
    const view = await dispute.waitForPhase('awaiting_review');
    expect(view).toMatchObject({ verdict: null, findings: [], offer: null });
    expect(view.deadline).not.toBeNull();
    await dispute.settled();
    const record = dispute.record();
    expect(summarize(record)).toEqual({
      events: [
        'acknowledged',
        'phase_changed→investigating',
        'investigation_failed',
        'phase_changed→awaiting_review',
      ],
      emails: [`acknowledgement → ${CUSTOMER}`],
      postings: [],
    });
    expect(record.events[2]!.data).toEqual(refused);
    expect(world.fakes.calls.get('investigate')).toBe(1);

    // The review goes on as after any investigation.
    await dispute.act('submitFindings', {
      findings: [finding('pricing', DRIVE_AMOUNTS.decision)],
      verdict: 'overcharged',
    });
    expect((await dispute.settled()).phase).toBe('awaiting_decision');
    await expectRunning(dispute);
  },

  // An invoice whose records the rules cannot read is recorded and skipped; the next is checked.
  async checkRecurrence(world, type) {
    const refused = failure('checkRecurrence', type);
    const dispute = await driveTo(world, 'monitoring');
    world.fakes.fail('checkRecurrence', (r) => r.invoiceId === 'INV-BAD', refused);
    world.fakes.recurrences.set('INV-NEXT', [finding('pricing', '9.00')]);
    const before = dispute.record();
    await dispute.signalNewInvoice('INV-BAD');
    await dispute.signalNewInvoice('INV-NEXT');
    await dispute.waitForRecord('the recurrence on INV-NEXT', (r) =>
      r.events.some((e) => e.type === 'recurrence_found'),
    );
    expect((await dispute.settled()).phase).toBe('monitoring');
    const since = dispute.since(before);
    expect(summarize(since)).toEqual({
      events: ['invoice_check_failed', 'recurrence_found'],
      emails: [`recurrence_found → ${AGENTS}`, `recurrence_found → ${TEAM_LEAD}`],
      postings: [],
    });
    expect(since.events[0]!.data).toEqual({ invoiceId: 'INV-BAD', ...refused });
    expect(world.fakes.calls.get('checkRecurrence')).toBe(2);
    await expectRunning(dispute);
  },

  // The ledger refuses the agreed correction: back to a decision, with the staff told.
  async applyCorrection(world, type) {
    const refused = failure('applyCorrection', type);
    const dispute = await driveTo(world, 'awaiting_customer');
    const offer = (await dispute.view()).offer!;
    const refusal = world.fakes.fail('applyCorrection', (r) => r.disputeId === dispute.id, refused);
    const before = dispute.record();
    await dispute.act('customerResponse', { accepted: true });
    const view = await dispute.waitForPhase('awaiting_decision');
    expect(view).toMatchObject({ offer: null, resolution: null });
    expect(view.deadline).not.toBeNull();
    await dispute.settled();
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
    expect(since.events[2]!.data).toEqual({ step: 'correction.1', ...refused });
    expect(dataOf(since.emails[0], 'correction_failed')).toMatchObject({
      proposal: { remedy: offer.kind, amount: offer.amount },
      problem: refused.message,
      decideBy: view.deadline,
    });
    expect(world.fakes.calls.get('applyCorrection')).toBe(1);

    // Decided again, the correction is posted under a step of its own.
    refusal.stop();
    await dispute.act('decide', {
      resolution: 'credit_note',
      amount: offer.amount!,
      byManager: true,
      actor: MANAGER,
    });
    await dispute.act('customerResponse', { accepted: true });
    await dispute.waitForPhase('monitoring');
    await dispute.settled();
    expect(dispute.record().postings.map((p) => p.request.step)).toEqual(['correction.2']);
    await expectRunning(dispute);
  },

  // The ledger will not reverse the document: the manager's reversal is Unprocessable (422).
  async reverseCorrection(world, type) {
    const refused = failure('reverseCorrection', type);
    const dispute = await driveTo(world, 'monitoring');
    world.fakes.fail('reverseCorrection', (r) => r.disputeId === dispute.id, refused);
    const view = await dispute.view();
    const before = dispute.record();
    const documentNumber = before.postings[0]!.adjustments[0]!.documentNumber;
    const refusal = await dispute.refused('reverse', {
      documentNumber,
      reason: 'posted in error',
      actor: MANAGER,
    });
    expect(refusal).toMatchObject({ type: 'Unprocessable', message: refused.message });
    expect(await dispute.settled()).toEqual(view);
    expect(summarize(dispute.since(before))).toEqual({ events: [], emails: [], postings: [] });
    await expectRunning(dispute);
  },
};

/**
 * Activities called through a proxy with non-retryable types whose real implementation never
 * throws a business failure, and why (a scripted one would test nothing the product can do).
 */
const NEVER_REFUSES: Partial<Record<ActivityName, string>> = {
  checkCorrection: 'answers a refusal as { ok: false, problem, message } instead of throwing it',
  paymentPlanStatus: "reads the dispute's installments; only the database being down fails it",
};

const proxies = activityProxies();

describe('activities that fail for good', { timeout: 120_000 }, () => {
  it('finds the proxies of workflows/activities.ts and what the workflow calls through them', () => {
    const byName = new Map(proxies.map((p) => [p.name, p]));
    expect(byName.get('investigation')).toMatchObject({
      nonRetryable: ['MissingRecord', 'InvalidBillingData'],
      calls: ['checkRecurrence', 'investigate'],
    });
    expect(byName.get('ledger')?.nonRetryable).toEqual([
      'MissingRecord',
      'InvalidCorrection',
      'UnjustifiedCorrection',
    ]);
    expect(byName.get('localDb')).toMatchObject({ local: true });
  });

  it('has a case for every activity called through a proxy with non-retryable types', () => {
    const uncovered = proxies
      .filter((p) => p.nonRetryable.length > 0)
      .flatMap((p) => p.calls.map((activity) => `${p.name}.${activity}`))
      .filter((call) => {
        const activity = call.split('.')[1] as ActivityName;
        return !SCENARIOS[activity] && !NEVER_REFUSES[activity];
      });
    expect(uncovered).toEqual([]);
  });

  for (const proxy of proxies)
    for (const activity of proxy.calls as ActivityName[]) {
      const scenario = SCENARIOS[activity];
      if (!scenario) continue;
      for (const type of proxy.nonRetryable)
        it(`${proxy.name}.${activity} failing with ${type}: called once, recorded, the dispute goes on`, () =>
          suite.run((world) => scenario(world, type)));
    }
});

describe('emails that cannot be sent', { timeout: 120_000 }, () => {
  for (const type of ['InvalidRecipient', 'InvalidEmail']) {
    it(`records an email the outbox refuses (${type}) and goes on`, () =>
      suite.run(async (world) => {
        const refused = failure('queueEmail', type);
        const dispute = await world.open({
          outcome: overcharged(DRIVE_AMOUNTS.decision),
          beforeStart: (d) =>
            world.fakes.fail(
              'queueEmail',
              (r) => r.disputeId === d.id && r.message.kind === 'acknowledgement',
              refused,
            ),
        });
        await dispute.waitForPhase('awaiting_decision');
        await dispute.settled();
        const record = dispute.record();
        expect(summarize(record)).toEqual({
          events: [
            'email_not_queued',
            'acknowledged',
            'phase_changed→investigating',
            'investigated',
            'phase_changed→awaiting_decision',
          ],
          emails: [`findings → ${CUSTOMER}`],
          postings: [],
        });
        expect(record.events[0]!.data).toEqual({
          name: 'acknowledgement',
          to: CUSTOMER,
          ...refused,
        });
        await expectRunning(dispute);
      }));
  }

  it('marks a message still undelivered after its three days as undeliverable, once, and goes on', () =>
    suite.run(async (world) => {
      const dispute = await world.open({
        outcome: overcharged(DRIVE_AMOUNTS.autoCredit),
        beforeStart: (d) =>
          world.fakes.fail(
            'deliverEmail',
            (id) =>
              world.fakes.email(id)?.disputeId === d.id &&
              world.fakes.email(id)?.kind === 'acknowledgement',
            { type: 'SmtpDown', message: 'connection refused', retryable: true },
          ),
      });
      await dispute.waitForPhase('awaiting_customer');
      await dispute.settled();
      const [acknowledgement, ...others] = dispute.record().emails.map((e) => e.messageId);
      expect(world.fakes.undeliverable).toEqual([]);

      await world.skipPast(Date.parse(dispute.input.openedAt) + 3 * DAY_MS);
      await dispute.waitForRecord('the acknowledgement marked undeliverable', () =>
        world.fakes.undeliverable.includes(acknowledgement!),
      );
      expect((await dispute.settled()).phase).toBe('awaiting_customer');
      expect(world.fakes.undeliverable).toEqual([acknowledgement]);
      expect(world.fakes.calls.get('markEmailUndeliverable')).toBe(1);
      expect([...world.fakes.deliveries].sort()).toEqual(others.sort());
      await expectRunning(dispute);
    }));

  it('goes on when the mail server rejects a message for good (EmailRejected), trying it once', () =>
    suite.run(async (world) => {
      const dispute = await world.open({
        outcome: overcharged(DRIVE_AMOUNTS.autoCredit),
        beforeStart: (d) =>
          world.fakes.fail(
            'deliverEmail',
            (id) => world.fakes.email(id)?.disputeId === d.id,
            failure('deliverEmail', 'EmailRejected'),
          ),
      });
      await dispute.waitForPhase('awaiting_customer');
      await dispute.settled();
      await dispute.act('customerResponse', { accepted: true });
      await dispute.waitForPhase('monitoring');
      await dispute.settled();
      const queued = dispute.record().emails.length;
      expect(queued).toBeGreaterThan(0);
      expect(world.fakes.calls.get('deliverEmail')).toBe(queued);
      expect(world.fakes.deliveries).toEqual([]);
      await expectRunning(dispute);
    }));
});

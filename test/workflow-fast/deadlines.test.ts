// Deadlines and escalation on the time-skipping clock: each waiting phase has the policy's
// business-day deadline; when it passes the dispute escalates one level (agent → team lead →
// billing manager → finance/legal), the level's contact is emailed and a new deadline starts.
// The customer is reminded before their deadline; people may escalate by hand.
import { describe, expect, it } from 'vitest';
import { addBusinessDays, DAY_MS } from '../../domain/calendar';
import type { Phase } from '../../domain/dispute';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import { CONTACT, MANAGER, overcharged, usd } from '../support/dispute-scripts';
import { DRIVE_AMOUNTS, driveTo } from '../support/drive-to';
import { type Dispute } from '../support/dispute-driver';
import { summarize } from '../support/dispute-record';
import { fakeDisputeSuite } from '../support/fake-disputes';

const suite = fakeDisputeSuite();

const policy = DEFAULT_POLICY;
const CONTACTS = policy.contacts.map((c) => c.email);
/** How long a deadline computation may trail the instant a test knows. */
const SLACK_MS = 60_000;

/** Which of the policy's deadlines each waiting phase runs on. */
const DEADLINE_OF = {
  awaiting_review: 'review',
  awaiting_decision: 'decision',
  awaiting_approval: 'approval',
  awaiting_customer: 'customer',
  mediation: 'mediation',
} as const satisfies Partial<Record<Phase, keyof Policy['deadlines']>>;
type WaitingPhase = keyof typeof DEADLINE_OF;
const WAITING = Object.keys(DEADLINE_OF) as WaitingPhase[];

/** `deadline` is `days` business days after an instant between `from` and `from + SLACK_MS`. */
function expectBusinessDaysAfter(
  deadline: string | null,
  from: number,
  days: number,
  holidays: readonly string[] = policy.holidays,
): void {
  expect(deadline).not.toBeNull();
  const at = Date.parse(deadline!);
  expect(at).toBeGreaterThanOrEqual(addBusinessDays(from, days, holidays));
  expect(at).toBeLessThanOrEqual(addBusinessDays(from + SLACK_MS, days, holidays));
}

/** When the dispute last entered its phase, by its timeline. */
function enteredAt(dispute: Dispute): number {
  const entered = dispute
    .record()
    .events.filter((e) => e.type === 'phase_changed')
    .at(-1);
  if (!entered) throw new Error(`${dispute.id} never changed phase`);
  return Date.parse(entered.at);
}

describe('deadlines and escalation', { timeout: 180_000 }, () => {
  for (const phase of WAITING) {
    const days = policy.deadlines[DEADLINE_OF[phase]];

    it(`${phase}: escalates one level each time its ${days}-business-day deadline passes, and stays at finance/legal`, () =>
      suite.run(async (world) => {
        const dispute = await driveTo(world, phase);
        let view = await dispute.view();
        expect(view.escalationLevel).toBe(0);
        expectBusinessDaysAfter(view.deadline, enteredAt(dispute) - SLACK_MS, days);

        for (const level of [1, 2, 3, 3]) {
          const missed = view.deadline!;
          const before = dispute.record();
          await world.skipPast(missed);
          view = await dispute.waitFor(
            `escalation to ${level}`,
            (v) => v.deadline !== missed && v.escalationLevel === level,
          );
          view = await dispute.settled();
          expect(view.phase).toBe(phase);
          expectBusinessDaysAfter(view.deadline, Date.parse(missed), days);

          const since = dispute.since(before);
          // The customer's reminder falls before their first deadline.
          const reminded = phase === 'awaiting_customer' && level === 1;
          expect(summarize(since)).toEqual({
            events: reminded ? ['reminder_sent', 'escalated'] : ['escalated'],
            emails: [
              ...(reminded ? [`reminder → ${CONTACT.email}`] : []),
              `escalation → ${CONTACTS[level]}`,
            ],
            postings: [],
          });
          expect(since.events.at(-1)?.data).toMatchObject({
            level,
            trigger: 'deadline_missed',
            phase,
            missedDeadline: missed,
          });
          expect(since.emails.at(-1)?.message.data).toMatchObject({
            level,
            trigger: 'deadline_missed',
            missedDeadline: missed,
            newDeadline: view.deadline,
          });
        }
      }));
  }

  it('gives the phases that wait on nobody no deadline', () =>
    suite.run(async (world) => {
      // Acknowledging passes within the first workflow task, before anyone could read a deadline.
      for (const phase of ['investigating', 'correcting', 'monitoring', 'closed'] as const) {
        const dispute = await driveTo(world, phase);
        expect((await dispute.view()).deadline, phase).toBeNull();
      }
    }));

  it("counts business days without the policy's holidays", () =>
    suite.run(async (world) => {
      const now = await world.now();
      // The next five days are holidays, whatever weekday the test runs on.
      const holidays = [1, 2, 3, 4, 5].map((d) =>
        new Date(now + d * DAY_MS).toISOString().slice(0, 10),
      );
      const dispute = await world.open({
        outcome: overcharged(DRIVE_AMOUNTS.decision),
        input: { policy: { ...policy, holidays } },
      });
      await dispute.waitForPhase('awaiting_decision');
      const view = await dispute.settled();
      expectBusinessDaysAfter(
        view.deadline,
        enteredAt(dispute) - SLACK_MS,
        policy.deadlines.decision,
        holidays,
      );
      expect(Date.parse(view.deadline!)).toBeGreaterThan(now + 6 * DAY_MS);
    }));

  it('reminds the customer once, before the deadline, then escalates without reminding again', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_decision');
      const offeredFrom = await world.now();
      const offered = await dispute.act('decide', {
        resolution: 'credit_note',
        amount: usd(DRIVE_AMOUNTS.decision),
        byManager: false,
      });
      const offeredBy = await world.now();
      expect(offered.phase).toBe('awaiting_customer');
      const remindAfter = policy.deadlines.customer - policy.reminderBeforeDays;
      const before = dispute.record();

      await world.skipTo(addBusinessDays(offeredFrom, remindAfter, policy.holidays) - 1_000);
      expect(summarize(dispute.since(before)).events).toEqual([]);

      await world.skipPast(addBusinessDays(offeredBy, remindAfter, policy.holidays));
      await dispute.waitForRecord('the reminder', (r) =>
        r.events.some((e) => e.type === 'reminder_sent'),
      );
      const reminded = await dispute.settled();
      expect(reminded).toMatchObject({ phase: 'awaiting_customer', escalationLevel: 0 });
      const reminder = dispute.since(before).emails;
      expect(reminder.map((e) => `${e.kind} → ${e.to.email}`)).toEqual([
        `reminder → ${CONTACT.email}`,
      ]);
      expect(reminder[0]!.message.data).toMatchObject({
        respondBy: offered.deadline,
        proposal: { remedy: 'credit_note', amount: usd(DRIVE_AMOUNTS.decision) },
      });

      for (const level of [1, 2]) {
        const missed = (await dispute.view()).deadline!;
        await world.skipPast(missed);
        await dispute.waitFor(`level ${level}`, (v) => v.escalationLevel === level);
      }
      await dispute.settled();
      expect(summarize(dispute.since(before)).events).toEqual([
        'reminder_sent',
        'escalated',
        'escalated',
      ]);
    }));

  it("gives each round's offer its own reminder", () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_customer');
      const remindAfter = policy.deadlines.customer - policy.reminderBeforeDays;
      const reminders = (): number =>
        dispute.record().events.filter((e) => e.type === 'reminder_sent').length;

      for (const round of [1, 2]) {
        const offeredAt = enteredAt(dispute);
        await world.skipPast(addBusinessDays(offeredAt, remindAfter, policy.holidays));
        await dispute.waitForRecord(`reminder ${round}`, () => reminders() === round);
        if (round === 1) {
          await dispute.act('customerResponse', { accepted: false, comment: 'too little' });
          await dispute.act('decide', {
            resolution: 'credit_note',
            amount: usd(DRIVE_AMOUNTS.autoCredit),
            byManager: true,
            actor: MANAGER,
          });
        }
      }
      expect(await dispute.settled()).toMatchObject({ round: 2, escalationLevel: 0 });
    }));

  it('escalates by hand one level with a fresh deadline, from which the timer then escalates', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_decision');
      const first = (await dispute.view()).deadline!;
      const days = policy.deadlines.decision;
      // One business day on, still before the first deadline.
      await world.skipTo(addBusinessDays(enteredAt(dispute), 1, policy.holidays));
      expect((await dispute.settled()).escalationLevel).toBe(0);

      const before = dispute.record();
      const from = await world.now();
      const escalated = await dispute.act('escalate', { reason: 'the customer called twice' });
      expect(escalated).toMatchObject({ phase: 'awaiting_decision', escalationLevel: 1 });
      expectBusinessDaysAfter(escalated.deadline, from, days);
      expect(Date.parse(escalated.deadline!)).toBeGreaterThan(Date.parse(first));
      const manual = dispute.since(before);
      expect(summarize(manual)).toEqual({
        events: ['escalated'],
        emails: [`escalation → ${CONTACTS[1]}`],
        postings: [],
      });
      expect(manual.events[0]).toMatchObject({
        actor: 'agent:test',
        data: { level: 1, trigger: 'manual', comment: 'the customer called twice' },
      });
      expect(manual.emails[0]!.message.data).toMatchObject({
        trigger: 'manual',
        escalatedBy: 'agent:test',
        missedDeadline: null,
        newDeadline: escalated.deadline,
      });

      // The first deadline no longer counts; the new one does.
      await world.skipPast(first);
      expect((await dispute.settled()).escalationLevel).toBe(1);
      await world.skipPast(escalated.deadline!);
      const timed = await dispute.waitFor('level 2', (v) => v.escalationLevel === 2);
      expect(timed.phase).toBe('awaiting_decision');
      expect(dispute.since(before).events.at(-1)?.data).toMatchObject({
        level: 2,
        trigger: 'deadline_missed',
        missedDeadline: escalated.deadline,
      });
    }));

  it('keeps the level when the phase changes: the next phase gets its own deadline', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_decision');
      await world.skipPast((await dispute.view()).deadline!);
      await dispute.waitFor('level 1', (v) => v.escalationLevel === 1);
      const offered = await dispute.act('decide', {
        resolution: 'credit_note',
        amount: usd(DRIVE_AMOUNTS.decision),
        byManager: false,
      });
      expect(offered).toMatchObject({ phase: 'awaiting_customer', escalationLevel: 1 });
      expectBusinessDaysAfter(
        offered.deadline,
        enteredAt(dispute) - SLACK_MS,
        policy.deadlines.customer,
      );
    }));
});

// A payment plan followed through in monitoring (issue 10): payments settle its installments
// oldest first; one still unpaid the policy's grace days after it fell due gets one reminder, one
// still unpaid the escalation days after that reminder escalates once, a paid one is never
// chased, and the dispute stays in monitoring until nothing is left to chase.
import { describe, expect, it } from 'vitest';
import { addBusinessDays } from '../../domain/calendar';
import { DEFAULT_POLICY } from '../../domain/policy';
import { CONTACT, MANAGER, undercharged, usd } from '../support/dispute-scripts';
import { monitorToEnd, monitorUntil } from '../support/drive-to';
import type { Dispute } from '../support/dispute-driver';
import { summarize } from '../support/dispute-record';
import { dataOf } from '../support/fake-activities';
import { fakeDisputeSuite, type World } from '../support/fake-disputes';

const suite = fakeDisputeSuite();

const { holidays, installmentGraceDays, installmentEscalationDays } = DEFAULT_POLICY;
const CUSTOMER = CONTACT.email;
const TEAM_LEAD = DEFAULT_POLICY.contacts[1]!.email;

/** A 300.00 undercharge settled by a plan of three 100.00 installments, 30 days apart. */
async function onPlan(world: World): Promise<{ dispute: Dispute; due: number[] }> {
  const dispute = await world.open({ outcome: undercharged('300.00') });
  await dispute.waitForPhase('awaiting_decision');
  await dispute.act('decide', {
    resolution: 'payment_plan',
    amount: usd('300.00'),
    installments: 3,
    byManager: true,
    actor: MANAGER,
  });
  await dispute.act('customerResponse', { accepted: true });
  await dispute.waitForPhase('monitoring');
  await dispute.settled();
  const plan = dispute.record().postings[0]!.adjustments[0]!;
  expect(plan.installments?.map((i) => i.amount)).toEqual([
    usd('100.00'),
    usd('100.00'),
    usd('100.00'),
  ]);
  return { dispute, due: plan.installments!.map((i) => Date.parse(i.dueAt)) };
}

const remindAt = (due: number): number => addBusinessDays(due, installmentGraceDays, holidays);
const escalateAt = (reminded: number): number =>
  addBusinessDays(reminded, installmentEscalationDays, holidays);

/** The installments reminded and the escalations so far, by the timeline. */
function chased(dispute: Dispute): { reminded: unknown[]; escalated: unknown[] } {
  const { events } = dispute.record();
  return {
    reminded: events
      .filter((e) => e.type === 'installment_overdue')
      .map((e) => e.data?.installment),
    escalated: events.filter((e) => e.type === 'escalated').map((e) => e.data?.trigger),
  };
}

describe('a payment plan in monitoring', { timeout: 180_000 }, () => {
  it('reminds of an overdue installment once, escalates it once, and never chases a paid one', () =>
    suite.run(async (world) => {
      const { dispute, due } = await onPlan(world);
      const pay = (amount: string): void =>
        world.fakes.ledger.books.pay(dispute.input.invoiceId, usd(amount));

      // The first installment is paid on time: its grace days pass without a reminder.
      pay('100.00');
      await monitorUntil(world, dispute, remindAt(due[0]!));
      expect(chased(dispute)).toEqual({ reminded: [], escalated: [] });

      // The second is not: one reminder after the grace days, with what it owes.
      let before = dispute.record();
      await monitorUntil(world, dispute, remindAt(due[1]!));
      let since = dispute.since(before);
      expect(summarize(since).events.filter((e) => e !== 'monitoring_sweep')).toEqual([
        'installment_overdue',
      ]);
      expect(summarize(since).emails).toEqual([`installment_overdue → ${CUSTOMER}`]);
      const reminder = since.events.find((e) => e.type === 'installment_overdue')!;
      expect(reminder.data).toEqual({
        installment: 2,
        dueAt: new Date(due[1]!).toISOString().slice(0, 10),
        amount: usd('100.00'),
        paid: usd('0.00'),
      });
      expect(dataOf(since.emails[0], 'installment_overdue')).toMatchObject({
        installment: 2,
        installments: 3,
        dueOn: new Date(due[1]!).toISOString().slice(0, 10),
        amount: usd('100.00'),
        paid: usd('0.00'),
      });

      // Still unpaid the escalation days after the reminder: one escalation, to the team lead.
      before = dispute.record();
      await monitorUntil(world, dispute, escalateAt(Date.parse(reminder.at)));
      since = dispute.since(before);
      expect(summarize(since).events.filter((e) => e !== 'monitoring_sweep')).toEqual([
        'escalated',
      ]);
      expect(since.events.find((e) => e.type === 'escalated')?.data).toMatchObject({
        level: 1,
        trigger: 'installment_overdue',
        phase: 'monitoring',
      });
      expect(summarize(since).emails).toEqual([`escalation → ${TEAM_LEAD}`]);
      expect((await dispute.view()).escalationLevel).toBe(1);

      // A payment settles the second and half of the third, whose reminder says so.
      pay('150.00');
      before = dispute.record();
      await monitorUntil(world, dispute, remindAt(due[2]!));
      since = dispute.since(before);
      const third = since.events.filter((e) => e.type === 'installment_overdue');
      expect(third.map((e) => e.data)).toEqual([
        expect.objectContaining({ installment: 3, paid: usd('50.00') }),
      ]);

      // Paid in full: nothing left to chase, and the dispute closes as corrected.
      pay('50.00');
      const closed = await monitorToEnd(world, dispute);
      expect(closed).toMatchObject({ phase: 'closed', resolution: 'corrected' });
      expect(chased(dispute)).toEqual({ reminded: [2, 3], escalated: ['installment_overdue'] });
      expect(Date.parse(closed.closedAt!)).toBeGreaterThan(remindAt(due[2]!));
    }));

  it('chases nothing for a plan paid before its first installment falls due', () =>
    suite.run(async (world) => {
      const { dispute, due } = await onPlan(world);
      world.fakes.ledger.books.pay(dispute.input.invoiceId, usd('300.00'));
      const closed = await monitorToEnd(world, dispute);
      expect(closed).toMatchObject({ resolution: 'corrected', escalationLevel: 0 });
      expect(chased(dispute)).toEqual({ reminded: [], escalated: [] });
      // The period ends before the last installment's reminder would have been due.
      expect(Date.parse(closed.closedAt!)).toBeLessThan(remindAt(due[2]!));
      expect(world.fakes.calls.get('paymentPlanStatus')).toBeGreaterThanOrEqual(2);
    }));
});

// Monitoring after a correction, with fake activities: each new invoice (signalled, or found by
// the weekly sweep) is checked for the same error, a recurrence alerts staff, the period's end
// closes the dispute as corrected, and a long run continues as new without losing its state.
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../domain/calendar';
import { DEFAULT_POLICY } from '../../domain/policy';
import { CONTACT, CUSTOMER, finding, usd } from '../support/dispute-scripts';
import { driveTo, monitorToEnd } from '../support/drive-to';
import { dataOf, type FindingDto } from '../support/fake-activities';
import { type Dispute } from '../support/dispute-driver';
import { summarize } from '../support/dispute-record';
import { fakeDisputeSuite } from '../support/fake-disputes';
import { waitFor } from '../support/temporal';

const suite = fakeDisputeSuite();

const [AGENTS, TEAM_LEAD] = DEFAULT_POLICY.contacts.map((c) => c.email);

const on = (invoiceId: string, f: FindingDto): FindingDto => ({ ...f, invoiceId });

/** When the dispute entered monitoring, by its timeline. */
function monitoringSince(dispute: Dispute): number {
  const entered = dispute
    .record()
    .events.find((e) => e.type === 'phase_changed' && e.data?.to === 'monitoring');
  if (!entered) throw new Error(`${dispute.id} never entered monitoring`);
  return Date.parse(entered.at);
}

describe('monitoring', { timeout: 180_000 }, () => {
  it('checks each new invoice for the same error and alerts the assignee and the escalation contact', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'monitoring');
      await dispute.act('assign', { assignee: 'agent-7' });
      // Same rule as the dispute's finding (pricing), and another rule the check must leave out.
      world.fakes.recurrences.set('INV-2', [
        on('INV-2', finding('pricing', '12.00')),
        on('INV-2', finding('tax', '3.00')),
      ]);
      await dispute.settled();
      let before = dispute.record();

      await dispute.signalNewInvoice('INV-2');
      await dispute.waitForRecord('the recurrence', (r) =>
        r.events.some((e) => e.type === 'recurrence_found'),
      );
      await dispute.settled();
      expect(world.fakes.recurrenceChecks).toEqual([
        { disputeId: dispute.id, invoiceId: 'INV-2', rules: ['pricing'] },
      ]);
      const since = dispute.since(before);
      expect(summarize(since)).toEqual({
        events: ['recurrence_found'],
        emails: [`recurrence_found → ${AGENTS}`, `recurrence_found → ${TEAM_LEAD}`],
        postings: [],
      });
      expect(since.events[0]!.data).toEqual({
        invoiceId: 'INV-2',
        rules: ['pricing'],
        totalDelta: usd('12.00'),
      });
      const alert = dataOf(since.emails[0], 'recurrence_found');
      expect(alert).toMatchObject({
        recipientName: 'agent-7',
        newInvoiceNumber: 'INV-2',
        findings: [on('INV-2', finding('pricing', '12.00'))],
        totalDelta: usd('12.00'),
      });
      expect(alert.monitoringUntil).toBe(
        new Date(monitoringSince(dispute) + DEFAULT_POLICY.monitoringDays * DAY_MS)
          .toISOString()
          .slice(0, 10),
      );
      expect((await dispute.view()).phase).toBe('monitoring');

      // A clean invoice alerts nobody; one already checked is not checked again.
      before = dispute.record();
      await dispute.signalNewInvoice('INV-3');
      await dispute.signalNewInvoice('INV-2');
      await waitFor(async () => world.fakes.recurrenceChecks.length === 2 || undefined, {
        what: 'the check of INV-3',
      });
      await dispute.settled();
      expect(world.fakes.recurrenceChecks.map((c) => c.invoiceId)).toEqual(['INV-2', 'INV-3']);
      expect(summarize(dispute.since(before))).toEqual({ events: [], emails: [], postings: [] });
    }));

  it('ignores invoices signalled before monitoring started', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_customer');
      await dispute.signalNewInvoice('INV-EARLY');
      await dispute.act('customerResponse', { accepted: true });
      await dispute.waitForPhase('monitoring');
      await dispute.settled();
      expect(world.fakes.recurrenceChecks).toEqual([]);
    }));

  it('sweeps the billing records each week for new invoices of the customer that nobody signalled', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'monitoring');
      const start = monitoringSince(dispute);
      const recorded = (invoiceId: string, customerId: string, days: number): void => {
        world.fakes.recordedInvoices.push({
          invoiceId,
          customerId,
          recordedAt: new Date(start + days * DAY_MS).toISOString(),
        });
      };
      recorded('INV-W1', CUSTOMER.id, 2);
      recorded('INV-OTHER', 'C-999', 3);
      recorded(dispute.input.invoiceId, CUSTOMER.id, 4);
      recorded('INV-W2', CUSTOMER.id, 9);

      const sweepDays = DEFAULT_POLICY.monitoringSweepDays;
      for (const week of [1, 2]) {
        const lastSweep = world.fakes.sweeps.at(-1);
        await world.skipPast(
          (lastSweep ? Date.parse(lastSweep.until) : start) + sweepDays * DAY_MS,
        );
        await dispute.waitForRecord(`sweep ${week}`, (r) =>
          r.events.some((e) => e.type === 'monitoring_sweep' && week === world.fakes.sweeps.length),
        );
        await dispute.settled();
      }
      const [first, second] = world.fakes.sweeps;
      expect(first).toMatchObject({
        customerId: CUSTOMER.id,
        excludeInvoiceId: dispute.input.invoiceId,
      });
      expect(Date.parse(first!.since)).toBeLessThanOrEqual(start);
      expect(Date.parse(first!.until) - Date.parse(first!.since)).toBeGreaterThanOrEqual(
        sweepDays * DAY_MS,
      );
      // Each sweep takes up where the last one stopped.
      expect(second!.since).toBe(first!.until);
      expect(world.fakes.recurrenceChecks.map((c) => c.invoiceId)).toEqual(['INV-W1', 'INV-W2']);
      expect(
        dispute
          .record()
          .events.filter((e) => e.type === 'monitoring_sweep')
          .map((e) => e.data),
      ).toEqual([{ invoicesFound: 1 }, { invoicesFound: 1 }]);
    }));

  it('closes as corrected when the period ends, and tells the customer what was checked', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'monitoring');
      world.fakes.recurrences.set('INV-R', [on('INV-R', finding('pricing', '5.00'))]);
      await dispute.signalNewInvoice('INV-R');
      await dispute.signalNewInvoice('INV-CLEAN');
      await waitFor(async () => world.fakes.recurrenceChecks.length === 2 || undefined, {
        what: 'both checks',
      });
      const before = dispute.record();

      const closed = await monitorToEnd(world, dispute);
      const start = monitoringSince(dispute);
      expect(closed).toMatchObject({
        phase: 'closed',
        resolution: 'corrected',
        rootCause: 'pricing',
      });
      expect(Date.parse(closed.closedAt!)).toBeGreaterThanOrEqual(
        start + DEFAULT_POLICY.monitoringDays * DAY_MS - 60_000,
      );
      const since = summarize(dispute.since(before));
      expect(since.events.filter((e) => e !== 'monitoring_sweep')).toEqual([
        'monitoring_ended',
        'phase_changed→closed',
        'closed',
      ]);
      expect(since.events.filter((e) => e === 'monitoring_sweep')).toHaveLength(
        Math.floor(DEFAULT_POLICY.monitoringDays / DEFAULT_POLICY.monitoringSweepDays),
      );
      expect(since.emails).toEqual([`monitoring_closed → ${CONTACT.email}`]);
      const ended = dispute.record().events.find((e) => e.type === 'monitoring_ended');
      expect(ended?.data).toEqual({ checked: 2, recurrences: 1 });
      const letter = dataOf(dispute.record().emails.at(-1), 'monitoring_closed');
      expect(letter).toMatchObject({ invoicesChecked: 2, recurrencesFound: 1 });
      expect(Date.parse(letter.monitoredUntil) - Date.parse(letter.monitoredFrom)).toBe(
        DEFAULT_POLICY.monitoringDays * DAY_MS,
      );
    }));

  it('continues as new when a run grows long, keeping the dispute and the monitoring counts', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'monitoring');
      await dispute.act('assign', { assignee: 'agent-7' });
      const noted = await dispute.answerAs('note-1', 'note', { noteId: 'N-1' });
      const view = await dispute.settled();
      const { runId: firstRunId } = await dispute.handle.describe();

      let sent = 0;
      const send = async (count: number): Promise<void> => {
        for (let i = 0; i < count; i += 1) {
          sent += 1;
          await dispute.signalNewInvoice(`INV-N${sent}`);
        }
        await waitFor(async () => world.fakes.recurrenceChecks.length === sent || undefined, {
          what: `${sent} checks`,
          timeoutMs: 60_000,
        });
      };
      while ((await dispute.handle.describe()).runId === firstRunId) {
        if (sent >= 2_000) throw new Error(`no continue-as-new after ${sent} invoices`);
        await send(25);
      }
      const first = world.env.client.workflow.getHandle(dispute.handle.workflowId, firstRunId);
      expect((await first.describe()).status.name).toBe('CONTINUED_AS_NEW');
      expect(await dispute.settled()).toEqual(view);
      // The new run remembers the updates the last one answered: a client's retry changes nothing.
      const notes = (): number => dispute.record().events.filter((e) => e.type === 'note').length;
      expect(await dispute.answerAs('note-1', 'note', { noteId: 'N-1' })).toEqual(noted);
      expect(notes()).toBe(1);

      // The new run goes on where the last one stopped.
      world.fakes.recurrences.set('INV-LATE', [on('INV-LATE', finding('pricing', '7.00'))]);
      const before = dispute.record();
      await dispute.signalNewInvoice('INV-LATE');
      await dispute.waitForRecord('the recurrence', (r) =>
        r.events.some((e) => e.type === 'recurrence_found'),
      );
      await dispute.settled();
      expect(summarize(dispute.since(before)).emails).toEqual([
        `recurrence_found → ${AGENTS}`,
        `recurrence_found → ${TEAM_LEAD}`,
      ]);
      expect(dataOf(dispute.since(before).emails[0], 'recurrence_found').recipientName).toBe(
        'agent-7',
      );

      const closed = await monitorToEnd(world, dispute);
      expect(closed).toMatchObject({ resolution: 'corrected', assignee: 'agent-7' });
      const ended = dispute.record().events.find((e) => e.type === 'monitoring_ended');
      expect(ended?.data).toEqual({ checked: sent + 1, recurrences: 1 });
    }));
});

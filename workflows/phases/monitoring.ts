// monitoring: for the policy's period after a correction, every new invoice of the customer
// (signalled by POST /v1/invoices, and found again by a periodic sweep) is checked for a
// recurrence of the same error. Continue-as-new keeps each run's history small.
import { condition } from '@temporalio/workflow';
import type { FindingDto } from '../../domain/dispute';
import { DAY_MS } from '../../domain/calendar';
import { fromMoneyDto, toMoneyDto, totalDelta } from '../../domain/money';
import * as activities from '../activities';
import type { DisputeContext } from '../context';
import { businessFailure } from '../failures';
import type { MonitoringState } from '../state';
import type { Transition } from '../../domain/lifecycle';
import * as customer from '../notify/customer';
import * as staff from '../notify/staff';

export async function startMonitoring(ctx: DisputeContext, transition: Transition): Promise<void> {
  const now = ctx.now().getTime();
  const iso = (ms: number): string => new Date(ms).toISOString();
  ctx.runtime.monitoring = {
    startedAt: iso(now),
    until: iso(now + ctx.policy.monitoringDays * DAY_MS),
    nextSweepAt: iso(now + ctx.policy.monitoringSweepDays * DAY_MS),
    sweptUntil: iso(now),
    pending: [],
    checked: 0,
    checkedInvoices: [],
    recurrences: 0,
    rules: [
      ...new Set(
        ctx.view.findings.filter((f) => fromMoneyDto(f.delta).minor !== 0n).map((f) => f.rule),
      ),
    ],
  };
  await ctx.enter(transition);
}

/** Queues a newly issued invoice (from the signal); duplicates are dropped. */
export function queueInvoice(ctx: DisputeContext, invoiceId: string): void {
  const m = ctx.runtime.monitoring;
  if (ctx.view.phase === 'monitoring' && m && !m.pending.includes(invoiceId))
    m.pending.push(invoiceId);
}

export async function monitor(ctx: DisputeContext): Promise<void> {
  const m = ctx.runtime.monitoring;
  if (!m) throw new Error('monitoring without monitoring state');
  while (ctx.view.phase === 'monitoring') {
    await ctx.continueAsNewIfLong();
    const now = ctx.now().getTime();
    const until = Date.parse(m.until);
    if (now >= until && m.pending.length === 0) {
      await ctx.exclusive(async () => {
        if (ctx.view.phase === 'monitoring') await endMonitoring(ctx, m);
      });
      return;
    }
    if (m.pending.length === 0) {
      const wakeAt = Math.min(until, Date.parse(m.nextSweepAt));
      await condition(
        () => m.pending.length > 0 || ctx.view.phase !== 'monitoring' || ctx.historyIsLong(),
        Math.max(wakeAt - now, 0),
      );
      if (ctx.view.phase !== 'monitoring') return;
    }
    const next = m.pending.shift();
    if (next !== undefined) await checkInvoice(ctx, m, next);
    else if (ctx.now().getTime() >= Date.parse(m.nextSweepAt)) await sweep(ctx, m);
  }
}

async function sweep(ctx: DisputeContext, m: MonitoringState): Promise<void> {
  const now = ctx.now().toISOString();
  const found = await activities.db.invoicesRecordedBetween({
    customerId: ctx.input.customerId,
    excludeInvoiceId: ctx.input.invoiceId,
    since: m.sweptUntil,
    until: now,
  });
  for (const id of found) if (!m.pending.includes(id)) m.pending.push(id);
  m.sweptUntil = now;
  m.nextSweepAt = new Date(Date.parse(now) + ctx.policy.monitoringSweepDays * DAY_MS).toISOString();
  await ctx.record('monitoring_sweep', undefined, { invoicesFound: found.length });
}

async function checkInvoice(
  ctx: DisputeContext,
  m: MonitoringState,
  invoiceId: string,
): Promise<void> {
  // A signal and a sweep may both name an invoice: it is checked once.
  if (m.checkedInvoices?.includes(invoiceId)) return;
  let result;
  try {
    result = await activities.investigation.checkRecurrence({
      disputeId: ctx.id,
      invoiceId,
      rules: m.rules,
    });
  } catch (error) {
    // An invoice whose records the rules cannot read is recorded and skipped; monitoring goes on.
    const failure = businessFailure(error);
    if (!failure) throw error;
    await ctx.exclusive(async () => {
      (m.checkedInvoices ??= []).push(invoiceId);
      await ctx.record('invoice_check_failed', undefined, { invoiceId, ...failure });
    });
    return;
  }
  await ctx.exclusive(async () => {
    if (ctx.view.phase !== 'monitoring' || m.checkedInvoices?.includes(invoiceId)) return;
    (m.checkedInvoices ??= []).push(invoiceId);
    m.checked += 1;
    if (result.findings.length > 0) await reportRecurrence(ctx, m, invoiceId, result.findings);
  });
}

async function reportRecurrence(
  ctx: DisputeContext,
  m: MonitoringState,
  invoiceId: string,
  findings: FindingDto[],
): Promise<void> {
  m.recurrences += 1;
  const total = toMoneyDto(totalDelta(findings, ctx.input.currency));
  await ctx.record('recurrence_found', undefined, {
    invoiceId,
    rules: findings.map((f) => f.rule),
    totalDelta: total,
  });
  await staff.recurrence(ctx, invoiceId, findings, total, m.until.slice(0, 10));
}

async function endMonitoring(ctx: DisputeContext, m: MonitoringState): Promise<void> {
  await ctx.record('monitoring_ended', undefined, {
    checked: m.checked,
    recurrences: m.recurrences,
  });
  await customer.monitoringClosed(ctx, m);
  await ctx.enter(ctx.plan({ type: 'monitoring_ended', mediated: ctx.runtime.mediated }));
}

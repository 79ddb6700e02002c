// monitoring: for the policy's period after a correction, every new invoice of the customer
// (signalled by POST /v1/invoices, and found again by a periodic sweep) is checked for a
// recurrence of the same error. A payment plan's installments are followed too: one overdue by the
// policy's grace days gets a reminder, and one still unpaid some days after it escalates; the
// dispute stays in monitoring until every installment is paid, reminded and escalated, or due
// after the period. Monitoring waits on a run of its own, and continue-as-new keeps runs small.
import { condition, patched } from '@temporalio/workflow';
import type { FindingDto } from '../../domain/dispute';
import { addBusinessDays, DAY_MS } from '../../domain/calendar';
import type { InstallmentStatus } from '../../domain/ledger/correction';
import { fromMoneyDto, toMoneyDto, totalDelta } from '../../domain/money';
import * as activities from '../activities';
import { PATCHES, type DisputeContext } from '../context';
import { escalate } from '../escalation';
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
  // A plan is looked at once now, which schedules its next look; older runs never followed plans.
  if (ctx.view.offer?.kind === 'payment_plan' && patched(PATCHES.installmentFollowThrough))
    ctx.runtime.monitoring.plan = { checkAt: iso(now), reminded: {}, escalated: [] };
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
    const planAt = m.plan?.checkAt ? Date.parse(m.plan.checkAt) : null;
    if (now >= until && m.pending.length === 0 && planAt === null) {
      await ctx.exclusive(async () => {
        if (ctx.view.phase === 'monitoring') await endMonitoring(ctx, m);
      });
      return;
    }
    if (planAt !== null && now >= planAt) {
      await followPlan(ctx, m);
      continue;
    }
    if (m.pending.length === 0) {
      await ctx.continueAsNewToMonitor();
      const wakeAt = Math.min(
        now < until ? until : Infinity,
        Date.parse(m.nextSweepAt),
        planAt ?? Infinity,
      );
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

/**
 * Looks at the plan's installments as payments settled them: reminds the customer of each one
 * overdue by the grace days, escalates each still unpaid the policy's days after its reminder, and
 * schedules the next look (none once nothing is left to remind or escalate).
 */
async function followPlan(ctx: DisputeContext, m: MonitoringState): Promise<void> {
  const installments = await activities.ledger.paymentPlanStatus({ disputeId: ctx.id });
  await ctx.exclusive(async () => {
    const plan = m.plan;
    if (ctx.view.phase !== 'monitoring' || !plan) return;
    const { holidays, installmentGraceDays, installmentEscalationDays } = ctx.policy;
    const now = ctx.now().getTime();
    const count = installments.filter((i) => i.status !== 'cancelled').length;
    let next = Infinity;
    for (const installment of installments.filter((i) => i.status === 'scheduled')) {
      const remindedAt = plan.reminded[installment.number];
      if (remindedAt === undefined) {
        const remindAt = addBusinessDays(
          Date.parse(installment.dueAt),
          installmentGraceDays,
          holidays,
        );
        if (now < remindAt) {
          next = Math.min(next, remindAt);
          continue;
        }
        plan.reminded[installment.number] = new Date(now).toISOString();
        await remindOverdue(ctx, installment, count);
        next = Math.min(next, addBusinessDays(now, installmentEscalationDays, holidays));
      } else if (!plan.escalated.includes(installment.number)) {
        const escalateAt = addBusinessDays(
          Date.parse(remindedAt),
          installmentEscalationDays,
          holidays,
        );
        if (now < escalateAt) {
          next = Math.min(next, escalateAt);
          continue;
        }
        plan.escalated.push(installment.number);
        await escalate(ctx, 'installment_overdue');
      }
    }
    plan.checkAt = next === Infinity ? null : new Date(next).toISOString();
  });
}

async function remindOverdue(
  ctx: DisputeContext,
  installment: InstallmentStatus,
  count: number,
): Promise<void> {
  await ctx.record('installment_overdue', undefined, {
    installment: installment.number,
    dueAt: installment.dueAt,
    amount: installment.amount,
    paid: installment.paid,
  });
  await customer.installmentOverdue(ctx, installment, count);
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

// Phases that wait on a person: each has a deadline, and a missed deadline escalates one level.
import { condition } from '@temporalio/workflow';
import type { Phase } from '../../domain/dispute';
import type { DisputeContext } from '../context';
import { escalate } from '../escalation';
import * as customer from '../notify/customer';

/** Milliseconds until an ISO instant, never negative. */
function msUntil(ctx: DisputeContext, iso: string): number {
  return Math.max(Date.parse(iso) - ctx.now().getTime(), 0);
}

/**
 * Waits until the phase changes. When the deadline passes first the dispute escalates, which
 * sets a new deadline; a manual escalation (a changed deadline) restarts the wait too.
 */
export async function waitInPhase(ctx: DisputeContext): Promise<void> {
  const phase: Phase = ctx.view.phase;
  while (ctx.view.phase === phase) {
    const deadline = ctx.view.deadline;
    if (!deadline) {
      await condition(() => ctx.view.phase !== phase);
      return;
    }
    const changed = await condition(
      () => ctx.view.phase !== phase || ctx.view.deadline !== deadline,
      msUntil(ctx, deadline),
    );
    if (!changed) await escalate(ctx, 'deadline_missed');
  }
}

/** awaiting_customer: one reminder before the deadline, then the usual escalation. */
export async function awaitCustomer(ctx: DisputeContext): Promise<void> {
  const { runtime } = ctx;
  if (!runtime.reminderSent && runtime.reminderAt) {
    const reminderAt = runtime.reminderAt;
    const answered = await condition(
      () => ctx.view.phase !== 'awaiting_customer',
      msUntil(ctx, reminderAt),
    );
    if (answered) return;
    ctx.runtime.reminderSent = true;
    await ctx.record('reminder_sent');
    await customer.reminder(ctx);
  }
  await waitInPhase(ctx);
}

/** closed: a manager may reopen within the window; returns false once it has passed. */
export async function awaitReopen(ctx: DisputeContext): Promise<boolean> {
  const until = ctx.reopenDeadline();
  return condition(() => ctx.view.phase !== 'closed', Math.max(until - ctx.now().getTime(), 0));
}

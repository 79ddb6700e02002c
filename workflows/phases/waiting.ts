// Phases that wait on a person: each has a deadline, and a missed deadline escalates one level.
// Each wait also ends when the history grows long, so the main loop can continue as new.
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
  while (ctx.view.phase === phase && !ctx.historyIsLong()) {
    const deadline = ctx.view.deadline;
    const moved = (): boolean =>
      ctx.view.phase !== phase || ctx.view.deadline !== deadline || ctx.historyIsLong();
    if (!deadline) {
      await condition(moved);
      continue;
    }
    if (await condition(moved, msUntil(ctx, deadline))) continue;
    // An action may have changed the dispute while the escalation waited its turn.
    await ctx.exclusive(async () => {
      if (ctx.view.phase === phase && ctx.view.deadline === deadline)
        await escalate(ctx, 'deadline_missed');
    });
  }
}

/** awaiting_customer: one reminder before the deadline, then the usual escalation. */
export async function awaitCustomer(ctx: DisputeContext): Promise<void> {
  const { runtime } = ctx;
  if (!runtime.reminderSent && runtime.reminderAt) {
    const reminderAt = runtime.reminderAt;
    const moved = await condition(
      () => ctx.view.phase !== 'awaiting_customer' || ctx.historyIsLong(),
      msUntil(ctx, reminderAt),
    );
    if (moved) return;
    await ctx.exclusive(async () => {
      if (ctx.view.phase !== 'awaiting_customer' || runtime.reminderSent) return;
      runtime.reminderSent = true;
      await ctx.record('reminder_sent');
      await customer.reminder(ctx);
    });
  }
  await waitInPhase(ctx);
}

/**
 * closed: a manager may reopen within the window. False once the window has passed; true when
 * the dispute was reopened or its history grew long.
 */
export async function awaitReopen(ctx: DisputeContext): Promise<boolean> {
  const until = ctx.reopenDeadline();
  return condition(
    () => ctx.view.phase !== 'closed' || ctx.historyIsLong(),
    Math.max(until - ctx.now().getTime(), 0),
  );
}

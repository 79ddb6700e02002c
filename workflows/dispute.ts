// The dispute workflow: one per dispute, from intake to close (and a reopen window after).
// Setup first — state and handlers — then the phases, each in its own module under phases/.
// Patch ids in use (`patched()`): none yet.
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { DisputeContext } from './context';
import { registerActions } from './handlers';
import { disputeQuery, newInvoiceSignal } from './messages';
import { correct } from './phases/correction';
import { acknowledge, investigate } from './phases/intake';
import { monitor, queueInvoice } from './phases/monitoring';
import { afterInvestigation } from './phases/resolution';
import { awaitCustomer, awaitReopen, waitInPhase } from './phases/waiting';
import type { DisputeInput } from '../domain/dispute';
import type { DisputeView, Resume } from './state';

export async function disputeWorkflow(input: DisputeInput, resume?: Resume): Promise<DisputeView> {
  const ctx = new DisputeContext(input, resume);
  setHandler(disputeQuery, () => ctx.view);
  setHandler(newInvoiceSignal, ({ invoiceId }) => queueInvoice(ctx, invoiceId));
  registerActions(ctx);

  const open = (): boolean => ctx.view.phase !== 'closed';
  if (!resume) {
    await acknowledge(ctx);
    if (open()) await investigate(ctx);
    if (open()) await afterInvestigation(ctx);
  }

  for (;;) {
    switch (ctx.view.phase) {
      case 'awaiting_customer':
        await awaitCustomer(ctx);
        break;
      case 'correcting':
        await correct(ctx);
        break;
      case 'monitoring':
        await monitor(ctx);
        break;
      case 'closed':
        if (!(await awaitReopen(ctx))) {
          await condition(allHandlersFinished);
          await ctx.flushEmails();
          return ctx.view;
        }
        break;
      default:
        await waitInPhase(ctx);
    }
  }
}

// The dispute workflow: one per dispute, from intake to close (and a reopen window after).
// Setup first — state and handlers — then the phases, each in its own module under phases/.
// Phase changes follow the lifecycle table of domain/lifecycle.ts.
// One change at a time (DisputeContext.exclusive); a long history continues as new in any phase
// that waits. Patch ids in use (PATCHES in context.ts): one-change-at-a-time, local-writes,
// decision-checks, installment-follow-through, local-ledger-check, fresh-run-to-monitor.
import type { UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import type { DisputeInput } from '../domain/dispute';
import { DisputeActions } from './actions';
import { DisputeContext } from './context';
import * as messages from './messages';
import { correct } from './phases/correction';
import { acknowledge, investigate } from './phases/intake';
import { monitor, queueInvoice } from './phases/monitoring';
import { awaitCustomer, awaitReopen, waitInPhase } from './phases/waiting';
import type { ActionResult, DisputeView, Resume } from './state';

function registerHandlers(ctx: DisputeContext): void {
  const a = new DisputeActions(ctx);
  const update = <A extends unknown[]>(
    def: UpdateDefinition<ActionResult, A>,
    work: (...args: NoInfer<A>) => Promise<void>,
    validate: (...args: NoInfer<A>) => void,
  ): void => setHandler(def, a.perform(validate, work), { validator: a.admits(validate) });

  setHandler(messages.disputeQuery, () => ctx.view);
  setHandler(messages.newInvoiceSignal, ({ invoiceId }) => queueInvoice(ctx, invoiceId));
  update(messages.assignUpdate, a.assign, a.allows('assign'));
  update(messages.noteUpdate, a.note, a.allows('note'));
  update(messages.submitFindingsUpdate, a.submitFindings, a.validateFindings);
  update(messages.decideUpdate, a.decide, a.validateDecision);
  update(messages.approveUpdate, a.approve, a.allows('approve'));
  update(messages.customerResponseUpdate, a.customerResponse, a.allows('customerResponse'));
  update(messages.escalateUpdate, a.escalate, a.allows('escalate'));
  update(messages.withdrawUpdate, a.withdraw, a.allows('withdraw'));
  update(messages.mediationOutcomeUpdate, a.mediationOutcome, a.validateMediationOutcome);
  update(messages.reopenUpdate, a.reopen, a.validateReopen);
  update(messages.reverseUpdate, a.reverse, a.allows('reverse'));
}

export async function disputeWorkflow(input: DisputeInput, resume?: Resume): Promise<DisputeView> {
  const ctx = new DisputeContext(input, resume);
  registerHandlers(ctx);

  const open = (): boolean => ctx.view.phase !== 'closed';
  if (!resume) {
    await acknowledge(ctx);
    if (open()) await investigate(ctx);
  }

  for (;;) {
    await ctx.continueAsNewIfLong();
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

// Dispute steps over real HTTP against a ProcessStack, and what the crash tests check afterwards:
// where each dispute is, which worker ran its workflow tasks, and how often each email arrived.
import type { WorkflowHandle } from '@temporalio/client';
import type { DisputableInvoice } from './disputable-invoices';
import type { CallResult, ProcessStack } from './process-stack';
import { waitFor } from './temporal';

function expectOk(what: string, response: CallResult, status = 200): any {
  if (response.status !== status) {
    throw new Error(`${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

export async function importThroughApi(stack: ProcessStack, bundle: unknown): Promise<void> {
  expectOk('import', await stack.call('POST', '/v1/import', { role: 'operations', body: bundle }));
}

/** Opens a `pricing_error` dispute on the invoice; returns its id. */
export async function openOver(stack: ProcessStack, invoice: DisputableInvoice): Promise<string> {
  const body = expectOk(
    `open ${invoice.id}`,
    await stack.call('POST', '/v1/disputes', {
      role: 'agent',
      body: {
        customerId: invoice.customerId,
        invoiceId: invoice.id,
        reason: 'pricing_error',
        description: `SRV-1U billed above the contract price on ${invoice.id}`,
        contact: { name: 'Dana Lee', email: 'dana@example.com' },
      },
    }),
    201,
  );
  return body.id as string;
}

/** Waits until the read model shows every dispute in `phase`. */
export async function waitForPhaseOfAll(
  stack: ProcessStack,
  ids: readonly string[],
  phase: string,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    async () =>
      (await stack.database.db.dispute.count({ where: { id: { in: [...ids] }, phase } })) ===
      ids.length,
    { what: `${ids.length} disputes in ${phase}`, timeoutMs, intervalMs: 250 },
  );
}

/** A manager decides a credit note of `amount` USD. */
export async function decideCreditNote(
  stack: ProcessStack,
  id: string,
  amount: string,
): Promise<void> {
  expectOk(
    `decision on ${id}`,
    await stack.call('POST', `/v1/disputes/${id}/decision`, {
      role: 'manager',
      body: {
        resolution: 'credit_note',
        amount: { amount, currency: 'USD' },
        explanation: 'The contract price applies.',
      },
    }),
  );
}

/** The customer accepts the offer (recorded by an agent); the correction starts. */
export async function acceptOffer(stack: ProcessStack, id: string): Promise<void> {
  expectOk(
    `customer response on ${id}`,
    await stack.call('POST', `/v1/disputes/${id}/customer-response`, {
      role: 'agent',
      body: { accepted: true, comment: 'Agreed by phone' },
    }),
  );
}

export function workflowOf(stack: ProcessStack, id: string): WorkflowHandle {
  return stack.client.workflow.getHandle(`dispute-${id}`);
}

/** Identities of the workers that completed the dispute's workflow tasks, in history order. */
export async function workflowTaskWorkers(stack: ProcessStack, id: string): Promise<string[]> {
  const { events } = await workflowOf(stack, id).fetchHistory();
  return (events ?? []).flatMap((e) =>
    e.workflowTaskCompletedEventAttributes
      ? [e.workflowTaskCompletedEventAttributes.identity ?? '']
      : [],
  );
}

/** How many times each Message-ID reached the mail catcher. */
export function deliveriesByMessageId(stack: ProcessStack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of stack.catcher?.messages() ?? []) {
    const id = message.messageId ?? '(none)';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

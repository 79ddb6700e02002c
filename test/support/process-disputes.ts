// Dispute steps over real HTTP against a ProcessStack, and what the crash tests check afterwards:
// where each dispute is, which worker ran its workflow tasks, and how often each email arrived.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { Role } from '../../config';
import type { DisputableInvoice } from './disputable-invoices';
import type { CallResult, ProcessStack } from './process-stack';
import { historiesOfEveryRun } from './replay';
import { waitFor } from './temporal';

/** How long an action is retried while the API answers 503. */
const ACTION_DEADLINE_MS = 180_000;

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

/**
 * An action as a careful client sends it: with an Idempotency-Key, and again with the same key
 * when the API answers 503 (Temporal did not answer in time, e.g. while a worker that held the
 * dispute is being replaced), which runs the action once however often it is sent.
 */
async function act(
  stack: ProcessStack,
  what: string,
  url: string,
  role: Role,
  body: unknown,
): Promise<void> {
  const headers = { 'idempotency-key': randomUUID() };
  const deadline = Date.now() + ACTION_DEADLINE_MS;
  for (;;) {
    const response = await stack.call('POST', url, { role, body, headers });
    if (response.status !== 503 || Date.now() > deadline) {
      expectOk(what, response);
      return;
    }
  }
}

/** A manager decides a credit note of `amount` USD. */
export async function decideCreditNote(
  stack: ProcessStack,
  id: string,
  amount: string,
): Promise<void> {
  await act(stack, `decision on ${id}`, `/v1/disputes/${id}/decision`, 'manager', {
    resolution: 'credit_note',
    amount: { amount, currency: 'USD' },
    explanation: 'The contract price applies.',
  });
}

/** The customer accepts the offer (recorded by an agent); the correction starts. */
export async function acceptOffer(stack: ProcessStack, id: string): Promise<void> {
  await act(stack, `customer response on ${id}`, `/v1/disputes/${id}/customer-response`, 'agent', {
    accepted: true,
    comment: 'Agreed by phone',
  });
}

export function workflowOf(stack: ProcessStack, id: string): WorkflowHandle {
  return stack.client.workflow.getHandle(`dispute-${id}`);
}

/**
 * Identities of the workers that completed the dispute's workflow tasks, in history order, across
 * every run: a run just continued as new may not have completed a task of its own yet.
 */
export async function workflowTaskWorkers(stack: ProcessStack, id: string): Promise<string[]> {
  const runs = await historiesOfEveryRun(workflowOf(stack, id));
  return runs
    .flatMap((run) => run.events ?? [])
    .flatMap((e) =>
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

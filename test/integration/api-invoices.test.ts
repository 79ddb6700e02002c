// POST /v1/invoices: recorded like an import, then signalled to the customer's disputes in
// monitoring, whose workflow checks it for a recurrence.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  customerBundle,
  invoiceRecord,
  openInPhase,
  orderRecords,
  waitForPhase,
} from '../support/api-fixtures';
import { historiesOfEveryRun } from '../support/replay';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv, waitFor } from '../support/temporal';

const CUSTOMER = 'C-INV';
let env: TestWorkflowEnvironment;
let stack: Stack;
let monitored: { id: string; workflowId: string };
let deciding: { id: string };

beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startStack(env, 'sqlite');
  const bundle = customerBundle(CUSTOMER, [
    { id: 'I-MON', billed: '150.00' },
    { id: 'I-DEC', billed: '700.00' },
  ]);
  const other = customerBundle('C-ELSE', [{ id: 'E-1', billed: '100.00' }]);
  const orders = ['I-NEW', 'I-CLEAN'].map((id) => orderRecords(CUSTOMER, id));
  for (const body of [
    bundle,
    other,
    {
      purchaseOrders: orders.flatMap((o) => o.purchaseOrders),
      deliveries: orders.flatMap((o) => o.deliveries),
    },
  ]) {
    expect((await stack.call('POST', '/v1/import', { role: 'operations', body })).status).toBe(200);
  }
  const offered = await openInPhase(stack, CUSTOMER, 'I-MON', 'awaiting_customer');
  await stack.call('POST', `/v1/disputes/${offered.id}/customer-response`, {
    role: 'agent',
    body: { accepted: true },
  });
  monitored = await waitForPhase(stack, offered.id, 'monitoring');
  deciding = await openInPhase(stack, CUSTOMER, 'I-DEC', 'awaiting_decision');
});
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
});

it('records a new invoice and signals the customer’s disputes in monitoring, which check it', async () => {
  const posted = await stack.call('POST', '/v1/invoices', {
    role: 'operations',
    body: invoiceRecord(CUSTOMER, { id: 'I-NEW', billed: '130.00', issuedAt: '2026-04-01' }),
  });
  expect(posted.status).toBe(201);
  expect(posted.body).toEqual({
    invoiceId: 'I-NEW',
    customerId: CUSTOMER,
    created: true,
    signalledDisputes: [monitored.id],
  });
  expect(posted.body.signalledDisputes).not.toContain(deciding.id);
  const stored = await stack.database.db.invoice.findUnique({
    where: { id: 'I-NEW' },
    include: { lines: true },
  });
  expect(stored).toMatchObject({ customerId: CUSTOMER, total: 13000n });
  expect(stored?.lines).toHaveLength(1);

  // A dispute continues as new to wait in monitoring: the signal may land in either run.
  const runs = await historiesOfEveryRun(env.client.workflow.getHandle(monitored.workflowId));
  const signals = runs
    .flatMap((run) => run.events ?? [])
    .filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'newInvoice');
  expect(signals).toHaveLength(1);

  // The same pricing error on the new invoice is a recurrence of the dispute's finding.
  const recurrence = await waitFor(
    async () => {
      const got = await stack.call('GET', `/v1/disputes/${monitored.id}`, { role: 'auditor' });
      return got.body.timeline.find((e: any) => e.type === 'recurrence_found');
    },
    { what: 'the recurrence on I-NEW', timeoutMs: 30_000, intervalMs: 200 },
  );
  expect(recurrence.data).toMatchObject({ invoiceId: 'I-NEW', rules: ['pricing'] });
});

it('answers 200 when the invoice replaces one with the same id, and signals again', async () => {
  const body = invoiceRecord(CUSTOMER, { id: 'I-CLEAN', billed: '100.00', issuedAt: '2026-04-02' });
  expect((await stack.call('POST', '/v1/invoices', { role: 'operations', body })).status).toBe(201);
  const again = await stack.call('POST', '/v1/invoices', { role: 'operations', body });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ created: false, signalledDisputes: [monitored.id] });
});

it('answers 400 with paths for a malformed invoice, and writes nothing', async () => {
  const base = invoiceRecord(CUSTOMER, { id: 'I-BAD', billed: '100.00' });
  const line = (base.lines as Record<string, unknown>[])[0]!;
  const cases: [Record<string, unknown>, string][] = [
    [{ lines: [] }, '$.lines'],
    [{ lines: [{ ...line, unitPrice: '-1.00' }] }, '$.lines[0].unitPrice'],
    [{ lines: [{ ...line, quantity: 1.5 }] }, '$.lines[0].quantity'],
    [{ total: 'a lot' }, '$.total'],
    [{ total: 100 }, '$.total'],
    [{ currency: 'usd' }, '$.currency'],
    [{ issuedAt: '2026-13-45' }, '$.issuedAt'],
    [{ dueAt: '2026-01-01', issuedAt: '2026-02-01' }, '$.dueAt'],
    [{ note: 'unknown field' }, '$'],
  ];
  for (const [change, path] of cases) {
    const got = await stack.call('POST', '/v1/invoices', {
      role: 'operations',
      body: { ...base, ...change },
    });
    expect({ change, status: got.status }).toEqual({ change, status: 400 });
    expect(got.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  }
  expect(await stack.database.db.invoice.count({ where: { id: 'I-BAD' } })).toBe(0);
});

it('answers 422 with paths for an invoice that does not fit the records', async () => {
  // A valid invoice on the order of I-CLEAN, changed one field at a time.
  const draft = invoiceRecord(CUSTOMER, { id: 'I-BAD', billed: '100.00' });
  const line = { ...(draft.lines as Record<string, unknown>[])[0]!, poLineId: 'PO-I-CLEAN-1' };
  const base = { ...draft, purchaseOrderId: 'PO-I-CLEAN', lines: [line] };
  const cases: [Record<string, unknown>, string][] = [
    [{ customerId: 'C-NOBODY' }, '$.customerId'],
    [{ purchaseOrderId: 'PO-NONE' }, '$.purchaseOrderId'],
    [{ lines: [{ ...line, poLineId: 'PO-I-MON-1' }] }, '$.lines[0].poLineId'],
    [{ currency: 'EUR' }, '$.currency'],
    [{ id: 'E-1' }, '$.customerId'],
  ];
  for (const [change, path] of cases) {
    const got = await stack.call('POST', '/v1/invoices', {
      role: 'operations',
      body: { ...base, ...change },
    });
    expect({ change, status: got.status }).toEqual({ change, status: 422 });
    expect(got.body.error.code).toBe('unprocessable');
    expect(got.body.error.details.map((d: { path: string }) => d.path)).toEqual([path]);
  }
  expect(await stack.database.db.invoice.count({ where: { id: 'I-BAD' } })).toBe(0);
});

it('reports the real disputes from the read model', async () => {
  const report = await stack.call('GET', '/v1/reports/summary', { role: 'auditor' });
  expect(report.status).toBe(200);
  expect(report.body).toMatchObject({ opened: 2, closed: 0 });
  expect(report.body.byPhase).toMatchObject({ monitoring: 1, awaiting_decision: 1 });
  expect(report.body.byReason.pricing_error).toBe(2);
  // The accepted 50.00 overcharge was corrected by a credit note.
  expect(report.body.adjustments.credits).toEqual([
    { currency: 'USD', amount: { amount: '50.00', currency: 'USD' }, count: 1 },
  ]);
});

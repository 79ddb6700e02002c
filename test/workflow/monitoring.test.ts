// Monitoring after a correction: a recurrence of the same error alerts staff, and 500 new
// invoices never let one run's history grow past 2,000 events (continue-as-new).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBundle } from '../../store/billing/import';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import { customerResponseUpdate, disputeQuery, newInvoiceSignal } from '../../workflows/messages';
import {
  importSample,
  openDispute,
  terminateQuietly,
  timelineTypes,
  waitForPhase,
  type OpenedDispute,
} from '../support/disputes';
import { historiesOfEveryRun } from '../support/replay';
import { startStack, type Stack } from '../support/stack';
import { startTimeSkippingEnv, waitFor } from '../support/temporal';

const policy: Policy = { ...DEFAULT_POLICY, autoApproveLimit: '1100.00' };
const address = { line1: '12 Harbor Way', city: 'Providence', postalCode: '02903', country: 'US' };

/** Invoices of customer C-200 on a new, fully delivered purchase order. */
function invoicesBundle(
  prefix: string,
  count: number,
  sku: string,
  unitPrice: string,
  tax: string,
  total: string,
): unknown {
  const po = `PO-${prefix}`;
  return {
    purchaseOrders: [
      {
        id: po,
        customerId: 'C-200',
        contractId: 'K-200',
        date: '2026-06-01',
        lines: [{ id: `${po}-1`, sku, quantity: count }],
      },
    ],
    deliveries: [
      {
        id: `DL-${prefix}`,
        purchaseOrderId: po,
        date: '2026-06-02',
        lines: [{ poLineId: `${po}-1`, quantity: count }],
      },
    ],
    invoices: Array.from({ length: count }, (_, i) => {
      const id = `INV-${prefix}-${String(i + 1).padStart(4, '0')}`;
      return {
        id,
        customerId: 'C-200',
        purchaseOrderId: po,
        issuedAt: '2026-06-10',
        dueAt: '2026-07-10',
        currency: 'USD',
        taxRate: '0.07',
        billingAddress: address,
        lines: [
          {
            id: `${id}-1`,
            sku,
            poLineId: `${po}-1`,
            quantity: 1,
            unitPrice,
            discountPercent: '0',
            lineTotal: unitPrice,
          },
        ],
        subtotal: unitPrice,
        tax,
        total,
      };
    }),
  };
}

let env: TestWorkflowEnvironment;
let stack: Stack;
let dispute: OpenedDispute;

beforeAll(async () => {
  env = await startTimeSkippingEnv();
  stack = await startStack(env, 'sqlite', policy);
  await importSample(stack);
  dispute = await openDispute(stack, 'INV-2002', 'discount_not_applied');
  await waitForPhase(stack, dispute, 'awaiting_customer');
  await dispute.handle.executeUpdate(customerResponseUpdate, {
    args: [{ accepted: true, actor: 'agent:dev-agent' }],
  });
  await waitForPhase(stack, dispute, 'monitoring');
});
afterAll(async () => {
  if (dispute) await terminateQuietly(dispute);
  await stack?.stop();
  await env?.teardown();
});

describe('monitoring', { timeout: 600_000 }, () => {
  it('alerts the assignee and the escalation contact when the same error recurs', async () => {
    // RAM-64 billed without the retroactive discount the customer has already earned.
    await importBundle(
      stack.database.db,
      invoicesBundle('2R', 1, 'RAM-64', '240.00', '16.80', '256.80'),
    );
    await dispute.handle.signal(newInvoiceSignal, { invoiceId: 'INV-2R-0001' });
    await waitFor(
      async () =>
        (await timelineTypes(stack, dispute.id)).includes('recurrence_found') || undefined,
      {
        what: 'the recurrence',
        timeoutMs: 30_000,
      },
    );
    for (const contact of [policy.contacts[0]!, policy.contacts[1]!]) {
      await stack.catcher.waitFor(
        (m) =>
          m.subject.includes(dispute.id) &&
          m.to.includes(contact.email) &&
          /INV-2R-0001/.test(m.text),
        {
          timeoutMs: 30_000,
        },
      );
    }
  });

  it('checks 500 new invoices with no run over 2,000 history events', async () => {
    const count = 500;
    await importBundle(
      stack.database.db,
      invoicesBundle('2M', count, 'SRV-1U', '4200.00', '294.00', '4494.00'),
    );
    for (let i = 1; i <= count; i += 1) {
      await dispute.handle.signal(newInvoiceSignal, {
        invoiceId: `INV-2M-${String(i).padStart(4, '0')}`,
      });
    }
    await waitFor(
      async () => {
        const checked = await stack.database.db.disputeEvent.count({
          where: { disputeId: dispute.id, type: 'invoice_checked' },
        });
        return checked >= count + 1 || undefined;
      },
      { what: `${count} invoices checked`, timeoutMs: 480_000, intervalMs: 1_000 },
    );
    const view = await dispute.handle.query(disputeQuery);
    expect(view.phase).toBe('monitoring');

    const lengths = (await historiesOfEveryRun(dispute.handle)).map(
      (run) => run.events?.length ?? 0,
    );
    expect(lengths.length).toBeGreaterThan(1);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(2_000);
    // No recurrence among correct invoices: only the one from the previous test.
    expect(
      (await timelineTypes(stack, dispute.id)).filter((t) => t === 'recurrence_found'),
    ).toHaveLength(1);
  });
});

// The Temporal server on PostgreSQL goes down twice with disputes in flight: killed (SIGKILL)
// right after they were opened, while they are being acknowledged and investigated, and stopped
// (SIGTERM) right after their corrections were agreed. The API and both workers reconnect on their
// own; every dispute resumes and ends in monitoring with one credit note posted once, and every
// email reaches the SMTP server exactly once.
import { describe, expect, it } from 'vitest';
import { checkLedgerInDatabase } from '../../store/ledger/snapshot';
import { disputableInvoices } from '../support/disputable-invoices';
import {
  acceptOffer,
  decideCreditNote,
  deliveriesByMessageId,
  importThroughApi,
  openOver,
  waitForPhaseOfAll,
  workflowOf,
} from '../support/process-disputes';
import { useClusterStack } from '../support/cluster-stack';
import { waitFor } from '../support/temporal';

const DISPUTES = 8;
const OVERCHARGE = '160.50';

const cluster = useClusterStack('cluster-server-restart');

describe('the Temporal server restarted mid-dispute', () => {
  it('every dispute resumes where it was, with nothing lost or done twice', async () => {
    const { server, stack } = cluster();
    const { bundle, invoices } = disputableInvoices('SR', DISPUTES);
    await importThroughApi(stack, bundle);
    const ids = await Promise.all(invoices.map((invoice) => openOver(stack, invoice)));

    // Killed while the disputes are being acknowledged: nothing of theirs may be lost.
    await server.restart('SIGKILL');
    await waitForPhaseOfAll(stack, ids, 'awaiting_decision', 180_000);

    await Promise.all(ids.map((id) => decideCreditNote(stack, id, OVERCHARGE)));
    await Promise.all(ids.map((id) => acceptOffer(stack, id)));
    // Stopped while the corrections post and their emails go out.
    await server.restart();
    await waitForPhaseOfAll(stack, ids, 'monitoring', 240_000);

    for (const id of ids) {
      const dispute = (await stack.call('GET', `/v1/disputes/${id}`)).body;
      expect(
        dispute.timeline
          .map((e: { type: string }) => e.type)
          .filter((t: string) => t !== 'email_queued' && t !== 'email_sent'),
        id,
      ).toEqual(
        expect.arrayContaining(['opened', 'acknowledged', 'investigated', 'decided', 'corrected']),
      );
      expect(
        dispute.adjustments.map((a: { kind: string; amount: { amount: string } }) => [
          a.kind,
          a.amount.amount,
        ]),
        id,
      ).toEqual([['credit_note', OVERCHARGE]]);
      expect(
        await stack.database.db.ledgerPosting.count({
          where: { idempotencyKey: { startsWith: `correction:${id}:` } },
        }),
        id,
      ).toBe(1);
      expect((await workflowOf(stack, id).describe()).status.name, id).toBe('RUNNING');
    }
    expect((await checkLedgerInDatabase(stack.database.db)).violations).toEqual([]);

    await waitFor(
      async () =>
        (await stack.database.db.outboxMessage.count({
          where: { disputeId: { in: ids }, status: { not: 'sent' } },
        })) === 0,
      { what: 'every queued email sent', timeoutMs: 120_000, intervalMs: 250 },
    );
    const sent = await stack.database.db.outboxMessage.findMany({
      where: { disputeId: { in: ids } },
      select: { id: true },
    });
    const deliveries = deliveriesByMessageId(stack);
    for (const message of sent) expect(deliveries.get(message.id), message.id).toBe(1);
    for (const [messageId, count] of deliveries) expect(count, messageId).toBe(1);
  }, 600_000);
});

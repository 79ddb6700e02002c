// Two worker processes on the Temporal server on PostgreSQL; the one holding more disputes in its
// cache is SIGKILLed the moment their customers' acceptances are sent, so its disputes' updates,
// corrections and emails are all still to do. The other worker carries every dispute on: each
// acceptance is answered (retried on 503 with its Idempotency-Key), none is lost, each posts its
// credit note exactly once, and every email reaches the SMTP server exactly once.
import { describe, expect, it } from 'vitest';
import { checkLedgerInDatabase } from '../../store/ledger/snapshot';
import { workerIdentity } from '../../scripts/cluster/settle';
import { disputableInvoices } from '../support/disputable-invoices';
import {
  deliveriesByMessageId,
  importThroughApi,
  openOver,
  acceptOffer,
  decideCreditNote,
  waitForPhaseOfAll,
  workflowTaskWorkers,
} from '../support/process-disputes';
import { useClusterStack } from '../support/cluster-stack';
import { waitFor } from '../support/temporal';

const DISPUTES = 8;
/** The overcharge of every disputable invoice, tax included. */
const OVERCHARGE = '160.50';

const cluster = useClusterStack('cluster-worker-crash');

describe('a worker process killed mid-dispute', () => {
  it('leaves every dispute to the other worker: no loss, no second posting or email', async () => {
    const { stack } = cluster();
    const { bundle, invoices } = disputableInvoices('WK', DISPUTES);
    await importThroughApi(stack, bundle);
    const ids = await Promise.all(invoices.map((invoice) => openOver(stack, invoice)));
    await waitForPhaseOfAll(stack, ids, 'awaiting_decision', 120_000);

    await Promise.all(ids.map((id) => decideCreditNote(stack, id, OVERCHARGE)));
    // The offers' emails are out before the kill, as the customers who accept have read them: a
    // worker killed between the SMTP server's acceptance and the outbox's `sent` leaves its retry
    // to send that message again (at least once, same Message-ID — activities/email.ts), a window
    // this test is not about.
    const outbox = stack.database.db.outboxMessage;
    await waitFor(
      async () =>
        (await outbox.count({
          where: { disputeId: { in: ids }, kind: 'offer', status: 'sent' },
        })) === ids.length &&
        (await outbox.count({ where: { disputeId: { in: ids }, status: { not: 'sent' } } })) === 0,
      { what: "the offers' emails sent", timeoutMs: 120_000, intervalMs: 250 },
    );

    // The worker that ran a dispute's last workflow task holds it in its sticky cache; the one
    // holding more dies the moment the customers' acceptances are sent, before it can finish
    // any of them.
    const identities = stack.workers.map((w) => workerIdentity(w.pid!));
    const holder = new Map<string, string>();
    for (const id of ids) holder.set(id, (await workflowTaskWorkers(stack, id)).at(-1)!);
    const held = identities.map((identity) => ids.filter((id) => holder.get(id) === identity));
    const victimIndex = held[0]!.length >= held[1]!.length ? 0 : 1;
    const victim = stack.workers[victimIndex]!;
    const survivor = identities[1 - victimIndex]!;
    const victimsDisputes = held[victimIndex]!;
    expect(victimsDisputes.length).toBeGreaterThan(0);

    const acceptances = ids.map((id) => acceptOffer(stack, id));
    expect(await victim.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    // Each acceptance answers once the survivor has taken over the victim's tasks (after their
    // timeout); a 503 meanwhile is retried with the same Idempotency-Key, as a client would.
    await Promise.all(acceptances);

    // Lost activities are retried after their start-to-close timeout (up to a minute).
    await waitForPhaseOfAll(stack, ids, 'monitoring', 240_000);

    for (const id of ids) {
      const dispute = (await stack.call('GET', `/v1/disputes/${id}`)).body;
      expect(dispute.phase, id).toBe('monitoring');
      expect(
        dispute.adjustments.map((a: { kind: string; amount: { amount: string } }) => [
          a.kind,
          a.amount.amount,
        ]),
        id,
      ).toEqual([['credit_note', OVERCHARGE]]);
      const postings = await stack.database.db.ledgerPosting.count({
        where: { idempotencyKey: { startsWith: `correction:${id}:` } },
      });
      expect(postings, id).toBe(1);
    }
    expect((await checkLedgerInDatabase(stack.database.db)).violations).toEqual([]);

    // The survivor finished what the victim held.
    for (const id of victimsDisputes) {
      expect((await workflowTaskWorkers(stack, id)).at(-1), id).toBe(survivor);
    }

    // Every email the outbox sent reached the SMTP server once; each dispute confirmed its correction.
    await waitFor(
      async () =>
        (await stack.database.db.outboxMessage.count({
          where: { disputeId: { in: ids }, status: { not: 'sent' } },
        })) === 0,
      { what: 'every queued email sent', timeoutMs: 120_000, intervalMs: 250 },
    );
    const sent = await stack.database.db.outboxMessage.findMany({
      where: { disputeId: { in: ids } },
      select: { id: true, kind: true, disputeId: true },
    });
    const deliveries = deliveriesByMessageId(stack);
    for (const message of sent) expect(deliveries.get(message.id), message.id).toBe(1);
    for (const [messageId, count] of deliveries) expect(count, messageId).toBe(1);
    for (const id of ids) {
      const kinds = sent.filter((m) => m.disputeId === id).map((m) => m.kind);
      expect(kinds, id).toEqual(
        expect.arrayContaining(['acknowledgement', 'correction_confirmation']),
      );
    }
  }, 480_000);
});

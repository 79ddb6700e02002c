// The happy path on the production shape: the Temporal server on PostgreSQL (as scripts/cluster.sh
// and docker-compose.yml run it), Settle's data on PostgreSQL, the API and two workers as separate
// processes, all through HTTP. An overcharged, paid invoice is refunded, the dispute reaches
// monitoring with one credit note and one refund, the ledger's invariants hold, every email arrives
// once, and the Temporal UI shows the workflow from PostgreSQL visibility.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInDatabase } from '../../store/ledger/snapshot';
import { pickPorts } from '../../scripts/cluster/ports';
import { Service } from '../../scripts/cluster/process';
import { temporalUiSpec, waitForUi } from '../../scripts/cluster/temporal-ui';
import { CUSTOMER_OF } from '../support/disputes';
import { deliveriesByMessageId, importThroughApi, workflowOf } from '../support/process-disputes';
import { useClusterStack } from '../support/cluster-stack';
import { sampleBundle } from '../support/sample-data';
import { waitFor } from '../support/temporal';

const cluster = useClusterStack('cluster-happy-path');
beforeAll(async () => {
  await importThroughApi(cluster().stack, sampleBundle());
});

describe('a dispute on the Temporal server on PostgreSQL', () => {
  it('refunds an overcharged, paid invoice and monitors the account', async () => {
    const { server, stack, logDir } = cluster();
    const opened = await stack.call('POST', '/v1/disputes', {
      role: 'agent',
      body: {
        customerId: CUSTOMER_OF['INV-2001'],
        invoiceId: 'INV-2001',
        reason: 'pricing_error',
        description: 'Switches above contract price',
        contact: { name: 'Dana Lee', email: 'dana@example.com' },
      },
    });
    expect(opened.status).toBe(201);
    const id: string = opened.body.id;
    const phase = async (): Promise<string> =>
      (await stack.call('GET', `/v1/disputes/${id}`)).body.phase;
    await waitFor(async () => (await phase()) === 'awaiting_decision', {
      what: 'awaiting_decision',
      timeoutMs: 60_000,
    });

    const amount = { amount: '3066.19', currency: 'USD' };
    const decided = await stack.call('POST', `/v1/disputes/${id}/decision`, {
      role: 'manager',
      body: { resolution: 'refund', amount, explanation: 'Contract prices apply.' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.phase).toBe('awaiting_customer');
    const accepted = await stack.call('POST', `/v1/disputes/${id}/customer-response`, {
      role: 'agent',
      body: { accepted: true },
    });
    expect(accepted.status).toBe(200);
    await waitFor(async () => (await phase()) === 'monitoring', {
      what: 'monitoring',
      timeoutMs: 60_000,
    });

    const final = (await stack.call('GET', `/v1/disputes/${id}`)).body;
    expect(final.adjustments.map((a: { kind: string }) => a.kind).sort()).toEqual([
      'credit_note',
      'refund',
    ]);
    for (const adjustment of final.adjustments) expect(adjustment.amount).toEqual(amount);
    expect((await checkLedgerInDatabase(stack.database.db)).violations).toEqual([]);

    // Acknowledgement, findings, offer and correction confirmation, each delivered once.
    await waitFor(
      async () => stack.catcher!.messages().filter((m) => m.subject.includes(id)).length >= 4,
      { what: 'four customer emails', timeoutMs: 60_000 },
    );
    for (const [messageId, count] of deliveriesByMessageId(stack)) {
      expect(count, messageId).toBe(1);
    }

    // The workflow's history and its visibility record live in PostgreSQL.
    const description = await workflowOf(stack, id).describe();
    expect(description.status.name).toBe('RUNNING');
    // Two runs: the one from intake continued as new to wait in monitoring on a run of its own.
    const runs = await waitFor(
      async () => {
        const listed: string[] = [];
        for await (const execution of stack.client.workflow.list({
          query: `WorkflowId = 'dispute-${id}'`,
        })) {
          expect(execution.workflowId).toBe(`dispute-${id}`);
          listed.push(execution.status.name);
        }
        return listed.length === 2 && listed.sort();
      },
      { what: 'both runs in the visibility store', timeoutMs: 30_000 },
    );
    expect(runs).toEqual(['CONTINUED_AS_NEW', 'RUNNING']);

    // The Temporal UI server (as scripts/cluster.sh runs it) shows the same workflow.
    const [uiPort] = await pickPorts([0]);
    const ui = new Service(
      temporalUiSpec({
        temporalAddress: server.address,
        port: uiPort!,
        namespace: 'default',
        logFile: path.join(logDir, 'temporal-ui.log'),
      }),
    ).start();
    try {
      const url = `http://127.0.0.1:${uiPort}`;
      await waitForUi(url, 30_000);
      expect(await (await fetch(url)).text()).toContain('<html');
      const workflows = (await (
        await fetch(
          `${url}/api/v1/namespaces/default/workflows?query=${encodeURIComponent(`WorkflowId='dispute-${id}'`)}`,
        )
      ).json()) as { executions: { execution: { workflowId: string } }[] };
      expect(workflows.executions.map((e) => e.execution.workflowId)).toEqual([
        `dispute-${id}`,
        `dispute-${id}`,
      ]);
    } finally {
      await ui.stop();
    }
  }, 240_000);
});

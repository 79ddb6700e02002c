// The dispute workflow on Temporal's time-skipping test server with in-memory fake activities:
// one server and one bundle per test file, a Worker and a fresh recorder per test.
import { WithStartWorkflowOperation, WorkflowUpdateStage } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, expect } from 'vitest';
import { workflowIdOf, type DisputeInput } from '../../domain/dispute';
import type { disputeWorkflow } from '../../workflows/dispute';
import type { ActionResult } from '../../workflows/state';
import { Dispute, updateOf, type ActionArgs, type ActionName } from './dispute-driver';
import { disputeInput } from './dispute-scripts';
import {
  FakeActivities,
  type ActivityInput,
  type ActivityName,
  type Hold,
  type InvestigationOutcome,
} from './fake-activities';
import { bundleWorkflows, createTestWorker, startTimeSkippingEnv } from './temporal';

export interface OpenOptions {
  /** What the fake investigation finds; a dispute without one fails its investigation. */
  outcome?: InvestigationOutcome;
  input?: Partial<DisputeInput>;
  /** Runs after the input is known and before the workflow starts, e.g. to place holds. */
  beforeStart?: (dispute: Dispute) => void;
}

/** One test's world: a worker with its own fakes, the disputes it started, and the server clock. */
export class World {
  readonly disputes: Dispute[] = [];
  /** Refusals no test scripted that this test expects, as the activities answered them. */
  readonly expectedRefusals: unknown[] = [];

  constructor(
    readonly env: TestWorkflowEnvironment,
    readonly taskQueue: string,
    readonly fakes: FakeActivities,
  ) {}

  async now(): Promise<number> {
    return await this.env.currentTimeMs();
  }

  async open(options: OpenOptions = {}): Promise<Dispute> {
    const dispute = await this.prepare(options);
    await this.env.client.workflow.start<typeof disputeWorkflow>('disputeWorkflow', {
      ...this.startOptions(dispute),
      args: [dispute.input],
    });
    this.disputes.push(dispute);
    return dispute;
  }

  /**
   * Opens a dispute with an action in the same request (update-with-start): the workflow's first
   * task runs the action's validator before anything else, while the dispute is acknowledging.
   * Returns once the workflow has accepted or refused the action; the answer may come later.
   */
  async openWith<A extends ActionName>(
    action: A,
    args: ActionArgs<A>,
    options: OpenOptions = {},
  ): Promise<{ dispute: Dispute; answer: Promise<ActionResult> }> {
    const dispute = await this.prepare(options);
    const start = new WithStartWorkflowOperation<typeof disputeWorkflow>('disputeWorkflow', {
      ...this.startOptions(dispute),
      args: [dispute.input],
      workflowIdConflictPolicy: 'FAIL',
    });
    const { update, input } = updateOf(action, args);
    const accepted = this.env.client.workflow.startUpdateWithStart(update, {
      args: [input],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
      startWorkflowOperation: start,
    });
    await start.workflowHandle();
    this.disputes.push(dispute);
    // A refused action rejects here; an accepted one answers once its turn has come.
    const answer = accepted.then(async (handle) => await handle.result());
    // Observed now, so a refusal the test reads later is never reported as unhandled.
    void answer.catch(() => undefined);
    return { dispute, answer };
  }

  private startOptions(dispute: Dispute): { taskQueue: string; workflowId: string } {
    return { taskQueue: this.taskQueue, workflowId: dispute.handle.workflowId };
  }

  /** The dispute `open` starts: its input, scripted investigation and billing records. */
  private async prepare({ outcome, input = {}, beforeStart }: OpenOptions): Promise<Dispute> {
    const openedAt = new Date(await this.now()).toISOString();
    const full = disputeInput({ openedAt, ...input });
    if (outcome) this.fakes.investigations.set(full.disputeId, outcome);
    // The billing records the API checked before opening it.
    this.fakes.ledger.books.addInvoice({
      id: full.invoiceId,
      customerId: full.customerId,
      currency: full.currency,
    });
    this.fakes.ledger.books.addDispute({
      id: full.disputeId,
      customerId: full.customerId,
      invoiceId: full.invoiceId,
    });
    const handle = this.env.client.workflow.getHandle<typeof disputeWorkflow>(
      workflowIdOf(full.disputeId),
    );
    const dispute = new Dispute(this, full, handle);
    beforeStart?.(dispute);
    return dispute;
  }

  /** Places a hold on `dispute`'s activities, released when the dispute is closed at the end. */
  hold<K extends ActivityName>(
    dispute: Dispute,
    activity: K,
    matches: (...args: ActivityInput<K>) => boolean = () => true,
  ): Hold {
    const hold = this.fakes.hold(activity, matches);
    dispute.holds.push({ activity, hold });
    return hold;
  }

  /**
   * Moves the server clock to `instant` once every dispute has settled, firing the timers due by
   * then. Tests jump just past one timer at a time. The server skips no time while an activity is
   * scheduled or running: a held one turns the jump into real time (and its timeouts into retries),
   * so nothing may be held across a jump.
   */
  async skipTo(instant: string | number): Promise<void> {
    const target = typeof instant === 'string' ? Date.parse(instant) : instant;
    for (const d of this.disputes) await d.settled();
    const now = await this.now();
    if (target > now) await this.env.sleep(target - now);
  }

  /** Moves the server clock to one second past `instant`: a timer due then has fired. */
  async skipPast(instant: string | number): Promise<void> {
    await this.skipTo((typeof instant === 'string' ? Date.parse(instant) : instant) + 1_000);
  }

  /** Closes every dispute and lets its workflow finish (time skips over the reopen window). */
  async finish(): Promise<void> {
    this.fakes.releaseAll();
    for (const d of this.disputes) await d.close();
    for (const d of this.disputes) await d.handle.result();
  }
}

/**
 * Starts the time-skipping server and bundles the workflows for this test file; `run` gives each
 * test a world with its own worker and fakes. Every dispute a test opens is closed and its
 * workflow finished afterwards, so no timer of it fires in a later test's skipped time.
 */
export function fakeDisputeSuite(): { run(body: (world: World) => Promise<void>): Promise<void> } {
  let env: TestWorkflowEnvironment | undefined;
  let bundle: WorkflowBundleWithSourceMap | undefined;
  beforeAll(async () => {
    [env, bundle] = await Promise.all([
      startTimeSkippingEnv(),
      bundleWorkflows('workflows/index.ts'),
    ]);
  }, 180_000);
  afterAll(async () => {
    await env?.teardown();
  });

  return {
    async run(body) {
      if (!env || !bundle) throw new Error('the suite did not start');
      const fakes = new FakeActivities();
      const { worker, taskQueue } = await createTestWorker(env, {
        workflowBundle: bundle,
        activities: fakes.activities,
        taskQueuePrefix: 'fake-disputes',
      });
      const world = new World(env, taskQueue, fakes);
      await worker.runUntil(async () => {
        let failure: Error | null = null;
        try {
          await body(world);
        } catch (error) {
          failure = error instanceof Error ? error : new Error('the test threw', { cause: error });
        }
        try {
          await world.finish();
        } catch (error) {
          if (failure === null) throw error;
          console.warn('closing the disputes after a failed test failed too:', error);
        }
        if (failure !== null) throw failure;
      });
      expect(fakes.problems, 'what the workflow asked that would lose data').toEqual([]);
      expect(
        fakes.unscriptedRefusals(),
        'what the real activities would have refused (a test that expects it says so)',
      ).toEqual(world.expectedRefusals);
    },
  };
}

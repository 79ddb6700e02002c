// The dispute workflow on Temporal's time-skipping test server with in-memory fake activities:
// one server and one bundle per test file, a Worker and a fresh recorder per test, and a driver
// that steers a dispute only through its public messages (updates, signal, query).
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, expect } from 'vitest';
import { workflowIdOf, type DisputeInput, type Phase } from '../../domain/dispute';
import type { disputeWorkflow } from '../../workflows/dispute';
import {
  approveUpdate,
  assignUpdate,
  customerResponseUpdate,
  decideUpdate,
  disputeQuery,
  escalateUpdate,
  mediationOutcomeUpdate,
  newInvoiceSignal,
  noteUpdate,
  reopenUpdate,
  submitFindingsUpdate,
  withdrawUpdate,
} from '../../workflows/messages';
import type { DisputeView } from '../../workflows/state';
import { AGENT, disputeInput } from './dispute-scripts';
import {
  FakeActivities,
  type ActivityInput,
  type ActivityName as FakeActivityName,
  type Hold,
  type InvestigationOutcome,
  type Posting,
  type Projection,
  type QueuedEmail,
  type TimelineEvent,
} from './fake-activities';
import { bundleWorkflows, createTestWorker, startTimeSkippingEnv, waitFor } from './temporal';

/** Every update of the dispute workflow, by the name of its action. */
export const UPDATES = {
  assign: assignUpdate,
  note: noteUpdate,
  submitFindings: submitFindingsUpdate,
  decide: decideUpdate,
  approve: approveUpdate,
  customerResponse: customerResponseUpdate,
  escalate: escalateUpdate,
  withdraw: withdrawUpdate,
  mediationOutcome: mediationOutcomeUpdate,
  reopen: reopenUpdate,
} as const;
export type ActionName = keyof typeof UPDATES;
export const ACTION_NAMES = Object.keys(UPDATES) as ActionName[];

type InputOf<U> = U extends UpdateDefinition<DisputeView, [infer I]> ? I : never;
export type ActionInput<A extends ActionName> = InputOf<(typeof UPDATES)[A]>;
/** An action's input; the actor defaults to an agent. */
export type ActionArgs<A extends ActionName> = Omit<ActionInput<A>, 'actor'> & { actor?: string };

const WAIT = { timeoutMs: 30_000, intervalMs: 25 };
const { EventType } = temporal.api.enums.v1;

/** What one dispute's activities recorded: compare two of them to see what an action did. */
export interface DisputeRecord {
  events: TimelineEvent[];
  emails: QueuedEmail[];
  postings: Posting[];
  projections: Projection[];
}

/** A record in words a test can compare: event types (phase changes with their target), emails as `kind → address`, posted correction kinds. */
export interface RecordSummary {
  events: string[];
  emails: string[];
  postings: string[];
}

export function summarize(record: DisputeRecord): RecordSummary {
  return {
    events: record.events.map((e) =>
      e.type === 'phase_changed' ? `phase_changed→${String(e.data?.to)}` : e.type,
    ),
    emails: record.emails.map((e) => `${e.kind} → ${e.to.email}`),
    postings: record.postings.map((p) => p.request.kind),
  };
}

/**
 * The summary with its events sorted: for actions whose handler and the workflow's main line
 * record events concurrently (accepting an offer starts the correction beside the handler).
 */
export function inAnyOrder(summary: RecordSummary): RecordSummary {
  return { ...summary, events: [...summary.events].sort() };
}

export class Dispute {
  /** Holds placed on this dispute's activities to keep it in a transient phase. */
  readonly holds: Hold[] = [];

  constructor(
    readonly world: World,
    readonly input: DisputeInput,
    readonly handle: WorkflowHandle<typeof disputeWorkflow>,
  ) {}

  get id(): string {
    return this.input.disputeId;
  }

  async view(): Promise<DisputeView> {
    return await this.handle.query(disputeQuery);
  }

  /** Sends an action and returns the view its handler answered with. */
  async act<A extends ActionName>(action: A, args: ActionArgs<A>): Promise<DisputeView> {
    const update = UPDATES[action] as unknown as UpdateDefinition<DisputeView, [ActionInput<A>]>;
    const input = { actor: AGENT, ...args } as ActionInput<A>;
    return await this.handle.executeUpdate(update, { args: [input] });
  }

  /** Sends an action the workflow must refuse, and returns the failure its validator threw. */
  async refused<A extends ActionName>(action: A, args: ActionArgs<A>): Promise<ApplicationFailure> {
    const error = await this.act(action, args).then(
      (view) => {
        throw new Error(`${action} was accepted; the dispute is now ${view.phase}`);
      },
      (rejection: unknown) => rejection,
    );
    expect(error, `${action} refused`).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause, `${action} refused with an ApplicationFailure`).toBeInstanceOf(
      ApplicationFailure,
    );
    return cause as ApplicationFailure;
  }

  async signalNewInvoice(invoiceId: string): Promise<void> {
    await this.handle.signal(newInvoiceSignal, { invoiceId });
  }

  async waitFor(
    what: string,
    predicate: (view: DisputeView) => boolean,
    timeoutMs = WAIT.timeoutMs,
  ): Promise<DisputeView> {
    return await waitFor(
      async () => {
        const view = await this.view();
        return predicate(view) ? view : undefined;
      },
      { what: `${this.id}: ${what}`, timeoutMs, intervalMs: WAIT.intervalMs },
    );
  }

  async waitForPhase(phase: Phase): Promise<DisputeView> {
    return await this.waitFor(`phase ${phase}`, (v) => v.phase === phase);
  }

  /** Waits until something this dispute's activities recorded satisfies `probe`. */
  async waitForRecord<T>(
    what: string,
    probe: (record: DisputeRecord) => T | undefined | false,
  ): Promise<T> {
    return await waitFor(async () => probe(this.record()), {
      what: `${this.id}: ${what}`,
      ...WAIT,
    });
  }

  /**
   * Waits until the workflow has nothing left to do for now: no workflow task scheduled or running
   * (by the history's last event), no activity in flight but held ones and failing ones between
   * attempts, twice in a row. Returns the view.
   */
  async settled(): Promise<DisputeView> {
    let lastLength = -1;
    await waitFor(
      async () => {
        const { status, raw } = await this.handle.describe();
        if (status.name !== 'RUNNING') return true;
        const held = this.world.fakes.held;
        // One that failed before is backing off between attempts (a scripted outage): not busy.
        const pending = (raw.pendingActivities ?? []).filter((a) => !a.lastFailure).length;
        const events = (await this.handle.fetchHistory()).events ?? [];
        const last = events.at(-1)?.eventType;
        if (
          pending > held ||
          this.world.fakes.inFlight > held ||
          last === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED ||
          last === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED
        ) {
          lastLength = -1;
          return undefined;
        }
        const stable = events.length === lastLength;
        lastLength = events.length;
        return stable || undefined;
      },
      { what: `${this.id} to settle`, ...WAIT },
    );
    return await this.view();
  }

  /** What this dispute's activities have recorded so far (copies). */
  record(): DisputeRecord {
    const fakes = this.world.fakes;
    return {
      events: [...fakes.eventsOf(this.id)],
      emails: [...fakes.emailsOf(this.id)],
      postings: [...fakes.postingsOf(this.id)],
      projections: [...fakes.projectionsOf(this.id)],
    };
  }

  /** What was recorded after `before` was taken. */
  since(before: DisputeRecord): DisputeRecord {
    const now = this.record();
    return {
      events: now.events.slice(before.events.length),
      emails: now.emails.slice(before.emails.length),
      postings: now.postings.slice(before.postings.length),
      projections: now.projections.slice(before.projections.length),
    };
  }

  releaseHolds(): void {
    for (const hold of this.holds) hold.release();
  }

  /** Withdraws the dispute unless it is closed (waiting out `correcting`), then waits until it is. */
  async close(): Promise<void> {
    this.releaseHolds();
    await waitFor(
      async () => {
        const { status } = await this.handle.describe();
        if (status.name !== 'RUNNING') return true;
        const { phase } = await this.view();
        if (phase === 'closed') return true;
        if (phase === 'correcting') return undefined;
        return await this.act('withdraw', { reason: 'test finished' }).then(
          () => true,
          () => undefined,
        );
      },
      { what: `${this.id} to close`, ...WAIT },
    );
  }
}

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

  constructor(
    readonly env: TestWorkflowEnvironment,
    readonly taskQueue: string,
    readonly fakes: FakeActivities,
  ) {}

  async now(): Promise<number> {
    return await this.env.currentTimeMs();
  }

  async open({ outcome, input = {}, beforeStart }: OpenOptions = {}): Promise<Dispute> {
    const openedAt = new Date(await this.now()).toISOString();
    const full = disputeInput({ openedAt, ...input });
    if (outcome) this.fakes.investigations.set(full.disputeId, outcome);
    const handle = this.env.client.workflow.getHandle<typeof disputeWorkflow>(
      workflowIdOf(full.disputeId),
    );
    const dispute = new Dispute(this, full, handle);
    beforeStart?.(dispute);
    await this.env.client.workflow.start<typeof disputeWorkflow>('disputeWorkflow', {
      taskQueue: this.taskQueue,
      workflowId: workflowIdOf(full.disputeId),
      args: [full],
    });
    this.disputes.push(dispute);
    return dispute;
  }

  /** Places a hold on `dispute`'s activities, released when the dispute is closed at the end. */
  hold<K extends FakeActivityName>(
    dispute: Dispute,
    activity: K,
    matches: (...args: ActivityInput<K>) => boolean = () => true,
  ): Hold {
    const hold = this.fakes.hold(activity, matches);
    dispute.holds.push(hold);
    return hold;
  }

  /**
   * Moves the server clock to `instant` once every dispute has settled, firing the timers due by
   * then. Tests jump just past one timer at a time: the server skips time while an activity runs,
   * and an activity that outlives its timeout in skipped time is retried.
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
      expect(fakes.problems, 'what the real activities would have refused').toEqual([]);
    },
  };
}

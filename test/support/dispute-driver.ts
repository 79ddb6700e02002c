// Steers one dispute workflow only through its public messages (updates, signal, query) and
// reads what its fake activities recorded.
import {
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
  type WorkflowHandle,
  type WorkflowUpdateHandle,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { expect } from 'vitest';
import type { DisputeInput, Phase } from '../../domain/dispute';
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
  reverseUpdate,
  submitFindingsUpdate,
  withdrawUpdate,
} from '../../workflows/messages';
import type { ActionResult, DisputeView } from '../../workflows/state';
import { AGENT } from './dispute-scripts';
import type { DisputeRecord } from './dispute-record';
import type { ActivityName, Hold } from './fake-activities';
import type { World } from './fake-disputes';
import { waitFor } from './temporal';

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
  reverse: reverseUpdate,
} as const;
export type ActionName = keyof typeof UPDATES;
export const ACTION_NAMES = Object.keys(UPDATES) as ActionName[];

type InputOf<U> = U extends UpdateDefinition<ActionResult, [infer I]> ? I : never;
export type ActionInput<A extends ActionName> = InputOf<(typeof UPDATES)[A]>;
/** An action's input; the actor defaults to an agent. */
export type ActionArgs<A extends ActionName> = Omit<ActionInput<A>, 'actor'> & { actor?: string };

/** An action's update and its input (the actor an agent unless `args` names one). */
export function updateOf<A extends ActionName>(
  action: A,
  args: ActionArgs<A>,
): { update: UpdateDefinition<ActionResult, [ActionInput<A>]>; input: ActionInput<A> } {
  return {
    update: UPDATES[action] as unknown as UpdateDefinition<ActionResult, [ActionInput<A>]>,
    input: { actor: AGENT, ...args } as ActionInput<A>,
  };
}

/** The failure an action's validator refused it with (`answer`: the update's result). */
export async function refusal(
  answer: Promise<ActionResult>,
  action: string,
): Promise<ApplicationFailure> {
  const error = await answer.then(
    ({ phase }) => {
      throw new Error(`${action} was accepted; the dispute is now ${phase}`);
    },
    (rejection: unknown) => rejection,
  );
  expect(error, `${action} refused`).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause, `${action} refused with an ApplicationFailure`).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

const WAIT = { timeoutMs: 30_000, intervalMs: 25 };
const { EventType } = temporal.api.enums.v1;

export class Dispute {
  /** Holds placed on this dispute's activities to keep it in a transient phase. */
  readonly holds: { activity: ActivityName; hold: Hold }[] = [];

  constructor(
    readonly world: World,
    readonly input: DisputeInput,
    readonly handle: WorkflowHandle<typeof disputeWorkflow>,
  ) {}

  get id(): string {
    return this.input.disputeId;
  }

  /** Sends an action; returns the update's answer: the dispute and the phase the handler left. */
  async answer<A extends ActionName>(action: A, args: ActionArgs<A>): Promise<ActionResult> {
    const { update, input } = updateOf(action, args);
    return await this.handle.executeUpdate(update, { args: [input] });
  }

  /**
   * Sends an action and returns once the workflow has accepted it (its validator passed), with
   * the answer still to come: for an action that waits for a change under way. `updateId` is the
   * client's id for it (a retry sends the same), a fresh one by default.
   */
  async accepted<A extends ActionName>(
    action: A,
    args: ActionArgs<A>,
    updateId?: string,
  ): Promise<WorkflowUpdateHandle<ActionResult>> {
    const { update, input } = updateOf(action, args);
    return await this.handle.startUpdate(update, {
      args: [input],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
      ...(updateId ? { updateId } : {}),
    });
  }

  /** Sends an action under the client's update id `updateId`, as a client's retry would. */
  async answerAs<A extends ActionName>(
    updateId: string,
    action: A,
    args: ActionArgs<A>,
  ): Promise<ActionResult> {
    const { update, input } = updateOf(action, args);
    return await this.handle.executeUpdate(update, { args: [input], updateId });
  }

  /** Sends an action, checks the answer names this dispute, and returns the view after it. */
  async act<A extends ActionName>(action: A, args: ActionArgs<A>): Promise<DisputeView> {
    const answer = await this.answer(action, args);
    expect(answer, `the answer to ${action}`).toEqual({
      disputeId: this.id,
      phase: expect.any(String),
    });
    return await this.view();
  }

  /** Sends an action the workflow must refuse, and returns the failure its validator threw. */
  async refused<A extends ActionName>(action: A, args: ActionArgs<A>): Promise<ApplicationFailure> {
    return await refusal(this.answer(action, args), action);
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
   * The view, by query, asked while no workflow task runs. The time-skipping test server leaves
   * its time-skipping locked for good when a query meets a task that continues the workflow as new
   * (as entering monitoring does): the query's own task goes to a run that has ended.
   */
  async view(): Promise<DisputeView> {
    await waitFor(async () => (await this.activity()) !== 'busy' || undefined, {
      what: `${this.id} to be between workflow tasks`,
      ...WAIT,
    });
    return await this.handle.query(disputeQuery);
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
        const now = await this.activity();
        if (now === 'ended') return true;
        if (now === 'busy') {
          lastLength = -1;
          return undefined;
        }
        const stable = now.events === lastLength;
        lastLength = now.events;
        return stable || undefined;
      },
      { what: `${this.id} to settle`, ...WAIT },
    );
    return await this.view();
  }

  /**
   * What the workflow does now: `busy` with a workflow task or an activity (not counting held ones
   * and failing ones between attempts), `ended`, or idle with so many history events.
   */
  private async activity(): Promise<'busy' | 'ended' | { events: number }> {
    // The history read before and after the description: unchanged, the description holds for it.
    const length = async (): Promise<number> =>
      ((await this.handle.fetchHistory()).events ?? []).length;
    const before = await length();
    const { status, raw } = await this.handle.describe();
    // A run that continued as new is followed by the next, which the handle finds once it runs.
    if (status.name === 'CONTINUED_AS_NEW') return 'busy';
    if (status.name !== 'RUNNING') return 'ended';
    const held = this.world.fakes.held;
    // One that failed before is backing off between attempts (a scripted outage): not busy.
    const pending = (raw.pendingActivities ?? []).filter((a) => !a.lastFailure).length;
    const events = (await this.handle.fetchHistory()).events ?? [];
    if (events.length !== before) return 'busy';
    const last = events.at(-1)?.eventType;
    // A held local activity keeps its workflow task open: that task is not busy but waiting.
    const taskOpen =
      last === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED ||
      last === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED;
    const busy =
      pending > held ||
      this.world.fakes.inFlight > held ||
      (taskOpen && this.world.fakes.heldLocal === 0);
    return busy ? 'busy' : { events: events.length };
  }

  /** What this dispute's activities have recorded so far (copies). */
  record(): DisputeRecord {
    const fakes = this.world.fakes;
    return {
      events: [...fakes.eventsOf(this.id)],
      emails: [...fakes.emailsOf(this.id)],
      postings: [...fakes.ledger.postingsOf(this.id)],
      reversals: [...fakes.ledger.reversalsOf(this.id)],
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
      reversals: now.reversals.slice(before.reversals.length),
      projections: now.projections.slice(before.projections.length),
    };
  }

  /** Releases the holds on `activity`, or all of this dispute's holds. */
  releaseHolds(activity?: ActivityName): void {
    for (const h of this.holds)
      if (activity === undefined || h.activity === activity) h.hold.release();
  }

  /** Withdraws the dispute unless it is closed (waiting out `correcting`), then waits until it is. */
  async close(): Promise<void> {
    this.releaseHolds();
    await waitFor(
      async () => {
        const { status } = await this.handle.describe();
        if (status.name === 'CONTINUED_AS_NEW') return undefined;
        if (status.name !== 'RUNNING') return true;
        const { phase } = await this.view();
        if (phase === 'closed') return true;
        if (phase === 'correcting') return undefined;
        return await this.answer('withdraw', { reason: 'test finished' }).then(
          () => true,
          () => undefined,
        );
      },
      { what: `${this.id} to close`, ...WAIT },
    );
  }
}

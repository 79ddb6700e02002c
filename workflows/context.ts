// The running dispute: its view and runtime state, and the primitives every phase uses to change
// it durably (timeline events, the database projection, deadlines, outgoing email), one change at
// a time, continuing as new before its history grows large.
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  TimeoutFailure,
  workflowInfo,
} from '@temporalio/workflow';
import type { EmailMessage } from '../domain/notifications';
import { addBusinessDays, DAY_MS } from '../domain/calendar';
import type { Actor, Contact } from '../domain/dispute';
import { isWaitingPhase, SYSTEM_ACTOR, type Phase } from '../domain/dispute';
import { next, type DisputeEvent, type Transition } from '../domain/lifecycle';
import { deadlineDays, rootCause } from '../domain/policy-rules';
import type { DisputeInput } from '../domain/dispute';
import * as activities from './activities';
import { businessFailure } from './failures';
import { Lock } from './lock';
import type { DisputeView, DisputeWorkflow, Resume, Runtime } from './state';
import { initialRuntime, initialView } from './state';

/**
 * Events per run before the dispute continues as new, whatever phase it waits in: far below
 * Temporal's limit of 51,200 events (and 50 MB, which small update results and note bodies kept
 * in the database keep out of reach).
 */
export const HISTORY_EVENTS_PER_RUN = 1_000;

/** Every `patched()` id in use: a change that old histories must not see. */
export const PATCHES = {
  /** Handlers and timers that change a dispute hold a lock (issue 13: one action at a time). */
  oneChangeAtATime: 'one-change-at-a-time',
  /** Timeline events, projections and queued email are local activities (issue 12: latency). */
  localWrites: 'local-writes',
  /** Decisions, approvals and mediation outcomes are checked against the ledger (issue 10). */
  decisionChecks: 'decision-checks',
  /** Monitoring follows a payment plan's installments (issue 10). */
  installmentFollowThrough: 'installment-follow-through',
  /** The ledger's check of a decision is a local activity (issue 12: action latency). */
  localLedgerCheck: 'local-ledger-check',
  /** Monitoring waits on a fresh run, so an evicted dispute wakes quickly (issue 12: memory). */
  freshRunToMonitor: 'fresh-run-to-monitor',
} as const;

export class DisputeContext {
  readonly view: DisputeView;
  readonly runtime: Runtime;
  private eventSeq = 0;
  /** Changes of the dispute take turns: update handlers and timers alike. */
  private readonly lock = new Lock();
  /** Runs recorded before changes took turns replay as they ran, interleaved. */
  private readonly serialized = patched(PATCHES.oneChangeAtATime);
  /** The short writes of the dispute: local activities, except in runs recorded before them. */
  private readonly writes = patched(PATCHES.localWrites) ? activities.localDb : activities.db;
  /**
   * Deliveries run beside the phases so an SMTP outage never holds up a timer; awaited before the
   * end, and carried over continue-as-new by message id.
   */
  private readonly deliveries = new Map<string, Promise<void>>();
  /** The phase this run started in. */
  private readonly startedIn: Phase;

  constructor(
    readonly input: DisputeInput,
    resume?: Resume,
  ) {
    this.view = resume?.view ?? initialView(input);
    this.runtime = resume?.runtime ?? initialRuntime();
    this.startedIn = this.view.phase;
    for (const messageId of this.runtime.undelivered ?? []) this.deliver(messageId);
  }

  /** Runs `work` once no other change of the dispute is under way. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.serialized ? this.lock.run(work) : work();
  }

  historyIsLong(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > HISTORY_EVENTS_PER_RUN;
  }

  /**
   * Continues as new when the history is long, once no handler is running: the view, the
   * runtime state and the deliveries still under way go to the next run.
   */
  async continueAsNewIfLong(): Promise<void> {
    if (this.historyIsLong()) await this.continueAsNew();
  }

  /**
   * A run that did not start in monitoring continues as new before it waits there, for months. A
   * worker keeps a bounded number of workflows in memory, and one it evicted replays its run when
   * a new invoice wakes it: one round trip to the workflow per recorded workflow task, some 25 for
   * a run that came all the way from intake, a handful for one that started in monitoring.
   */
  async continueAsNewToMonitor(): Promise<void> {
    if (this.startedIn === 'monitoring') return;
    // Runs recorded before this patch waited where they were.
    if (!patched(PATCHES.freshRunToMonitor)) return;
    // Emails on their way finish in this run rather than being tried again by the next one beside
    // their first attempt. In an SMTP outage that holds the new run back (three days at most, when
    // a delivery gives up), and with it the checks of invoices signalled meanwhile, whose alerts
    // could not go out either.
    await condition(() => this.deliveries.size === 0);
    await this.continueAsNew();
  }

  private async continueAsNew(): Promise<never> {
    await condition(() => allHandlersFinished() && !this.lock.busy);
    this.runtime.undelivered = [...this.deliveries.keys()];
    return await continueAsNew<DisputeWorkflow>(this.input, {
      view: this.view,
      runtime: this.runtime,
    });
  }

  get id(): string {
    return this.input.disputeId;
  }

  get policy(): DisputeInput['policy'] {
    return this.input.policy;
  }

  now(): Date {
    return new Date();
  }

  businessDaysFromNow(days: number): string {
    return new Date(
      addBusinessDays(this.now().getTime(), days, this.policy.holidays),
    ).toISOString();
  }

  /** A closed dispute may be reopened for the policy's monitoring period after it closed. */
  reopenDeadline(): number {
    const closedAt = this.view.closedAt ? Date.parse(this.view.closedAt) : this.now().getTime();
    return closedAt + this.policy.monitoringDays * DAY_MS;
  }

  async record(
    type: string,
    actor: Actor = SYSTEM_ACTOR,
    data?: Record<string, unknown>,
  ): Promise<void> {
    this.eventSeq += 1;
    await this.writes.recordEvent({
      disputeId: this.id,
      // Stable across activity retries and replay; a new run (reset, continue-as-new) has its own id.
      key: `${workflowInfo().runId}:${this.eventSeq}`,
      at: this.now().toISOString(),
      type,
      actor,
      ...(data ? { data } : {}),
    });
  }

  /** Writes the view to the database read model that lists, reports and GET use. */
  async project(): Promise<void> {
    const v = this.view;
    // Views saved before versions began carry none: count on from zero.
    v.version = (v.version ?? 0) + 1;
    await this.writes.projectDispute({
      disputeId: this.id,
      phase: v.phase,
      verdict: v.verdict,
      resolution: v.resolution,
      totalDelta: v.totalDelta,
      escalationLevel: v.escalationLevel,
      assignee: v.assignee,
      deadline: v.deadline,
      offer: v.offer,
      rootCause: v.rootCause,
      closedAt: v.closedAt,
      version: v.version,
    });
  }

  /** Where `event` takes the dispute now, by the lifecycle table; an event it has no rule for is a bug. */
  plan(event: DisputeEvent): Transition {
    const transition = next(this.view.phase, event, this.policy);
    if (!transition) throw new Error(`no lifecycle rule for ${event.type} in ${this.view.phase}`);
    return transition;
  }

  /**
   * Takes a planned transition: a phase that waits on a person gets its deadline from the policy,
   * and a transition that closes the dispute records its resolution and root cause.
   */
  async enter(transition: Transition, actor: Actor = SYSTEM_ACTOR): Promise<void> {
    const { view } = this;
    if (transition.from !== view.phase)
      throw new Error(`planned from ${transition.from}, but the dispute is ${view.phase}`);
    const { to: phase, resolution } = transition;
    if (resolution) {
      view.resolution = resolution;
      view.rootCause = rootCause(
        resolution === 'withdrawn' ? [] : view.findings,
        resolution === 'withdrawn' ? 'withdrawn' : 'no_error',
      );
      view.closedAt = this.now().toISOString();
      this.runtime.reopenRequested = false;
    }
    view.phase = phase;
    view.deadline = isWaitingPhase(phase)
      ? this.businessDaysFromNow(deadlineDays(phase, this.policy))
      : null;
    log.info('phase', { disputeId: this.id, from: transition.from, to: phase });
    await this.project();
    await this.record('phase_changed', actor, {
      from: transition.from,
      to: phase,
      deadline: view.deadline,
    });
    if (resolution) await this.record('closed', actor, { resolution, rootCause: view.rootCause });
  }

  /** Queues the message in the outbox now (so the timeline shows it), then delivers in the background. */
  async email(name: string, to: Contact, message: EmailMessage): Promise<void> {
    this.runtime.emailSeq += 1;
    let messageId: string;
    try {
      messageId = await this.writes.queueEmail({
        disputeId: this.id,
        step: `${name}.${this.runtime.emailSeq}`,
        to,
        locale: this.input.locale,
        message,
      });
    } catch (error) {
      // A message that cannot be rendered or addressed is recorded; the dispute goes on.
      const failure = businessFailure(error);
      if (!failure) throw error;
      log.warn('email not queued', { disputeId: this.id, name, ...failure });
      await this.record('email_not_queued', SYSTEM_ACTOR, { name, to: to.email, ...failure });
      return;
    }
    this.deliver(messageId);
  }

  private deliver(messageId: string): void {
    const delivery = activities.email
      .deliverEmail(messageId)
      // A message SMTP refuses for good is marked failed in the outbox; one still undelivered
      // after its three days is marked so too (a manager may resend it). The dispute goes on.
      .catch(async (error: unknown) => {
        log.warn('email not delivered', { disputeId: this.id, messageId, error: String(error) });
        // Out of time: the last attempt's error with retry state TIMEOUT, or a timeout itself.
        const outOfTime =
          error instanceof ActivityFailure &&
          (error.retryState === 'TIMEOUT' || error.cause instanceof TimeoutFailure);
        if (outOfTime) await activities.db.markEmailUndeliverable(messageId);
      })
      .finally(() => this.deliveries.delete(messageId));
    this.deliveries.set(messageId, delivery);
  }

  /** Customer emails are skipped for internal review cases, which have no customer contact. */
  async emailCustomer(name: string, message: EmailMessage): Promise<void> {
    if (!this.input.internal) await this.email(name, this.input.contact, message);
  }

  /** The staff contact of an escalation level (0 agents, 1 team lead, 2 billing manager, 3 finance/legal). */
  staffContact(level: number = this.view.escalationLevel): Contact {
    const contacts = this.policy.contacts;
    return contacts[Math.min(level, contacts.length - 1)] ?? contacts[0]!;
  }

  /** Fields every staff email shares. */
  staffRef(recipient: Contact): {
    caseNumber: string;
    invoiceNumber: string;
    recipientName: string;
    customerName: string;
  } {
    return {
      caseNumber: this.id,
      invoiceNumber: this.input.invoiceId,
      recipientName: recipient.name,
      customerName: this.input.customerName,
    };
  }

  customerRef(): { caseNumber: string; invoiceNumber: string; contactName: string } {
    return {
      caseNumber: this.id,
      invoiceNumber: this.input.invoiceId,
      contactName: this.input.contact.name,
    };
  }

  async flushEmails(): Promise<void> {
    await Promise.all([...this.deliveries.values()]);
  }
}

// In-memory fakes of the dispute workflow's activities, for tests about the workflow alone. One
// plain object of the factory's type (a changed activity signature breaks it at compile time) over
// a recorder of what the workflow asked for — timeline events, projections, queued emails,
// postings and reversals — and the investigation, recurrence, sweep and ledger facts each test
// scripts. Failures a test scripts, and refusals the real activities would make, are thrown as
// the same non-retryable ApplicationFailure types.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { createActivities } from '../../activities';
import type { Contact } from '../../domain/dispute';
import { fromMoneyDto } from '../../domain/money';
import type { EmailDataOf, EmailMessage } from '../../domain/notifications';
import { recipientProblem } from '../../email/recipient';
import { renderEmail } from '../../email/render';
import { Holds, type Hold } from './activity-holds';
import { FakeLedger, refusalOf } from './fake-ledger';

export type { Hold } from './activity-holds';
export type { Posting, Reversal } from './fake-ledger';

export type Activities = ReturnType<typeof createActivities>;
export type ActivityName = keyof Activities;
export type ActivityInput<K extends ActivityName> = Parameters<Activities[K]>;
type Input<K extends ActivityName> = ActivityInput<K>;
type Output<K extends ActivityName> = Awaited<ReturnType<Activities[K]>>;
type ArgsByName = { [K in ActivityName]: Input<K> };

export type TimelineEvent = Input<'recordEvent'>[0];
export type Projection = Input<'projectDispute'>[0];
export type EmailRequest = Input<'queueEmail'>[0];
export type CorrectionRequest = Input<'applyCorrection'>[0];
export type InvestigationOutcome = Output<'investigate'>;
export type FindingDto = InvestigationOutcome['findings'][number];
export type EmailKind = EmailMessage['kind'];

export interface QueuedEmail {
  disputeId: string;
  step: string;
  messageId: string;
  to: Contact;
  kind: EmailKind;
  message: EmailMessage;
  subject: string;
}

/** The data of a queued email, checked to be of `kind`. */
export function dataOf<K extends EmailKind>(
  email: QueuedEmail | undefined,
  kind: K,
): EmailDataOf<K> {
  if (email?.message.kind !== kind)
    throw new Error(`expected a ${kind} email, got ${email?.message.kind ?? 'none'}`);
  return email.message.data as EmailDataOf<K>;
}

/** An invoice the monitoring sweep finds, as the billing records would show it. */
export interface RecordedInvoice {
  customerId: string;
  invoiceId: string;
  recordedAt: string;
}

/** A failure an activity answered with for good (non-retryable), scripted or not. */
export interface Refusal {
  activity: ActivityName;
  type: string;
  message: string;
  scripted: boolean;
}

export interface ScriptedFailure {
  type: string;
  message?: string;
  /** Retryable failures are retried by Temporal, as when a server is down for a while. */
  retryable?: boolean;
}

interface Script {
  activity: ActivityName;
  matches: (args: unknown[]) => boolean;
  failure: ScriptedFailure;
  stopped: boolean;
}

/** Server time of the current activity attempt: the time-skipping clock, not the machine's. */
function serverNow(): Date {
  return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
}

class Refused extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export class FakeActivities {
  readonly events: TimelineEvent[] = [];
  readonly projections: Projection[] = [];
  readonly emails: QueuedEmail[] = [];
  readonly deliveries: string[] = [];
  /** Messages marked failed in the outbox after their days of delivery attempts ran out. */
  readonly undeliverable: string[] = [];
  readonly savedFindings: { disputeId: string; findings: FindingDto[] }[] = [];
  readonly recurrenceChecks: Input<'checkRecurrence'>[0][] = [];
  readonly sweeps: Input<'invoicesRecordedBetween'>[0][] = [];
  /** Calls per activity, retries included. */
  readonly calls = new Map<ActivityName, number>();
  /** Activities the workflow ran as local activities, and as ordinary ones. */
  readonly ranLocally = new Set<ActivityName>();
  readonly ranRemotely = new Set<ActivityName>();
  /** Non-retryable failures the activities answered with, in order. */
  readonly refusals: Refusal[] = [];
  /** Misuse the real activities would not notice but that loses data (a test expects none). */
  readonly problems: string[] = [];

  /** Investigation results by dispute id: what the rules find on its invoice, now. */
  readonly investigations = new Map<string, InvestigationOutcome>();
  /** Findings the recurrence check reports per new invoice, before filtering by the dispute's rules. */
  readonly recurrences = new Map<string, FindingDto[]>();
  /** Invoices the monitoring sweep may find. */
  readonly recordedInvoices: RecordedInvoice[] = [];
  readonly ledger = new FakeLedger({
    rules: (disputeId) => this.investigations.get(disputeId)?.findings ?? null,
    reviewed: (disputeId) =>
      this.savedFindings.filter((s) => s.disputeId === disputeId).at(-1)?.findings ?? [],
  });

  private readonly holds = new Holds<ArgsByName>();
  private readonly scripts: Script[] = [];
  private readonly storedChecks = new Map<string, FindingDto[]>();
  private inFlightCount = 0;

  /** Activities running in this process right now, held ones included. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /** Calls waiting on a hold right now. */
  get held(): number {
    return this.holds.waiting;
  }

  /** Local activities waiting on a hold: each keeps its workflow task open meanwhile. */
  get heldLocal(): number {
    return this.holds.waitingLocal;
  }

  hold<K extends ActivityName>(
    activity: K,
    matches: (...args: Input<K>) => boolean = () => true,
  ): Hold {
    return this.holds.add(activity, matches);
  }

  releaseAll(): void {
    this.holds.releaseAll();
  }

  /**
   * Makes matching calls of `activity` fail with `failure` until stopped: a non-retryable one is
   * what the real activity throws when no retry can help (its type names the problem).
   */
  fail<K extends ActivityName>(
    activity: K,
    matches: (...args: Input<K>) => boolean,
    failure: ScriptedFailure,
  ): { stop(): void } {
    const script: Script = {
      activity,
      matches: (args) => matches(...(args as Input<K>)),
      failure,
      stopped: false,
    };
    this.scripts.push(script);
    return {
      stop: () => {
        script.stopped = true;
      },
    };
  }

  /** Refusals no test scripted: the real activities would have refused what the workflow sent. */
  unscriptedRefusals(): Refusal[] {
    return this.refusals.filter((r) => !r.scripted);
  }

  eventsOf(disputeId: string): TimelineEvent[] {
    return this.events.filter((e) => e.disputeId === disputeId);
  }

  emailsOf(disputeId: string): QueuedEmail[] {
    return this.emails.filter((e) => e.disputeId === disputeId);
  }

  /** The queued email with this Message-ID. */
  email(messageId: string): QueuedEmail | undefined {
    return this.emails.find((e) => e.messageId === messageId);
  }

  projectionsOf(disputeId: string): Projection[] {
    return this.projections.filter((p) => p.disputeId === disputeId);
  }

  private async run<K extends ActivityName, T>(
    activity: K,
    args: ArgsByName[K],
    body: () => T | Promise<T>,
  ): Promise<T> {
    this.inFlightCount += 1;
    try {
      this.calls.set(activity, (this.calls.get(activity) ?? 0) + 1);
      const local = Context.current().info.isLocal;
      (local ? this.ranLocally : this.ranRemotely).add(activity);
      await this.holds.pass(activity, args, local);
      const script = this.scripts.find(
        (s) => !s.stopped && s.activity === activity && s.matches(args),
      );
      if (script) {
        const { type, message = `${activity} fails as scripted`, retryable } = script.failure;
        if (retryable) throw ApplicationFailure.retryable(message, type);
        this.refusals.push({ activity, type, message, scripted: true });
        throw ApplicationFailure.nonRetryable(message, type);
      }
      try {
        return await body();
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        this.refusals.push({ activity, type: error.type, message: error.message, scripted: false });
        throw ApplicationFailure.nonRetryable(error.message, error.type);
      }
    } finally {
      this.inFlightCount -= 1;
    }
  }

  /** Runs a ledger operation; the ledger's refusals become its non-retryable failure types. */
  private static refusing<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      const { problem, message } = refusalOf(error);
      throw new Refused(problem, message);
    }
  }

  /** The activities, as the worker registers them. */
  readonly activities: Activities = {
    recordEvent: (event) =>
      this.run('recordEvent', [event], () => {
        // Keyed like the real table: a retried attempt writes nothing.
        if (this.events.some((e) => e.key === event.key)) return;
        this.events.push(event);
      }),

    projectDispute: (state) =>
      this.run('projectDispute', [state], () => {
        // Versioned like the read model: an older projection arriving late changes nothing.
        const latest = this.projectionsOf(state.disputeId).at(-1);
        if (latest && latest.version >= state.version) {
          const same = this.projectionsOf(state.disputeId).find((p) => p.version === state.version);
          if (same && JSON.stringify(same) !== JSON.stringify(state))
            this.problems.push(`projection version ${state.version} of ${state.disputeId} reused`);
          return;
        }
        this.projections.push(state);
      }),

    saveFindings: (disputeId, findings) =>
      this.run('saveFindings', [disputeId, findings], () => {
        this.savedFindings.push({ disputeId, findings });
      }),

    investigate: (request) =>
      this.run('investigate', [request], () => {
        const outcome = this.investigations.get(request.disputeId);
        if (!outcome)
          throw new Refused('MissingRecord', `invoice ${request.invoiceId} is not in the database`);
        this.savedFindings.push({ disputeId: request.disputeId, findings: outcome.findings });
        return outcome;
      }),

    queueEmail: (request) =>
      this.run('queueEmail', [request], () => {
        const messageId = `<${request.disputeId}.${request.step}@fake.settle.test>`;
        const earlier = this.emails.find((e) => e.messageId === messageId);
        if (earlier) {
          // The real outbox keeps the first row of a step: a different message would be lost.
          if (JSON.stringify(earlier.message) !== JSON.stringify(request.message))
            this.problems.push(`email step ${request.step} of ${request.disputeId} reused`);
          return messageId;
        }
        const recipient = recipientProblem(request.to);
        if (recipient)
          throw new Refused('InvalidRecipient', `refusing recipient of ${messageId}: ${recipient}`);
        let subject: string;
        try {
          subject = renderEmail(request.message, request.locale).subject;
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          throw new Refused(
            'InvalidEmail',
            `cannot render ${request.message.kind}: ${error.message}`,
          );
        }
        this.emails.push({
          disputeId: request.disputeId,
          step: request.step,
          messageId,
          to: request.to,
          kind: request.message.kind,
          message: request.message,
          subject,
        });
        return messageId;
      }),

    deliverEmail: (messageId) =>
      this.run('deliverEmail', [messageId], () => {
        if (!this.email(messageId)) {
          this.problems.push(`delivery of ${messageId}, which was never queued`);
          throw new Refused('MissingRecord', `no queued email ${messageId}`);
        }
        // A row marked failed stays failed: the real activity refuses to send it.
        if (this.undeliverable.includes(messageId))
          throw new Refused('EmailRejected', `${messageId} was marked undeliverable`);
        if (!this.deliveries.includes(messageId)) this.deliveries.push(messageId);
      }),

    markEmailUndeliverable: (messageId) =>
      this.run('markEmailUndeliverable', [messageId], () => {
        if (!this.email(messageId)) {
          this.problems.push(`${messageId} marked undeliverable, but it was never queued`);
          throw new Refused('MissingRecord', `no queued email ${messageId}`);
        }
        // Sent, or failed already (a late attempt may have sent it): nothing to mark.
        if (this.deliveries.includes(messageId) || this.undeliverable.includes(messageId)) return;
        this.undeliverable.push(messageId);
      }),

    checkRecurrence: (request) =>
      this.run('checkRecurrence', [request], () => {
        this.recurrenceChecks.push(request);
        // Stored with the check's mark like the real one: every attempt answers the same.
        const key = `${request.disputeId}:${request.invoiceId}`;
        let findings = this.storedChecks.get(key);
        if (!findings) {
          findings = (this.recurrences.get(request.invoiceId) ?? []).filter(
            (f) =>
              f.rule !== 'already_corrected' &&
              request.rules.includes(f.rule) &&
              fromMoneyDto(f.delta).minor !== 0n,
          );
          this.storedChecks.set(key, findings);
        }
        return { findings };
      }),

    invoicesRecordedBetween: (request) =>
      this.run('invoicesRecordedBetween', [request], () => {
        this.sweeps.push(request);
        const since = Date.parse(request.since);
        const until = Date.parse(request.until);
        return this.recordedInvoices
          .filter((i) => {
            const at = Date.parse(i.recordedAt);
            return (
              i.customerId === request.customerId &&
              i.invoiceId !== request.excludeInvoiceId &&
              at > since &&
              at <= until
            );
          })
          .sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt))
          .map((i) => i.invoiceId);
      }),

    applyCorrection: (request) =>
      this.run('applyCorrection', [request], () =>
        FakeActivities.refusing(() => this.ledger.applyCorrection(request, serverNow())),
      ),

    checkCorrection: (request) =>
      this.run('checkCorrection', [request], () =>
        this.ledger.checkCorrection(request, serverNow()),
      ),

    reverseCorrection: (request) =>
      this.run('reverseCorrection', [request], () =>
        FakeActivities.refusing(() => this.ledger.reverseCorrection(request, serverNow())),
      ),

    paymentPlanStatus: (request) =>
      this.run('paymentPlanStatus', [request], () =>
        this.ledger.paymentPlanStatus(request.disputeId),
      ),

    scanInvoices: (request) =>
      this.run('scanInvoices', [request], () => {
        throw new Refused('NotFaked', 'the dispute workflow never scans invoices');
      }),

    openReviewDispute: (request) =>
      this.run('openReviewDispute', [request], () => {
        throw new Refused('NotFaked', 'the dispute workflow never opens disputes');
      }),
  };
}

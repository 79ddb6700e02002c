// In-memory fakes of the dispute workflow's activities, for tests about the workflow alone. One
// plain object of the factory's type (a changed activity signature breaks it at compile time) over
// a recorder of what the workflow asked for — timeline events, projections, queued emails,
// postings — and the investigation, recurrence and sweep results each test scripts.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { createActivities } from '../../activities';
import type { Contact } from '../../domain/dispute';
import { checkJustified, installmentCount } from '../../domain/ledger/correction-checks';
import {
  CorrectionError,
  DOCUMENT_PREFIXES,
  documentsOf,
  formatDocumentNumber,
} from '../../domain/ledger/correction';
import { planInstallments } from '../../domain/ledger/payment-plan';
import { fromMoneyDto, toMoneyDto, zero } from '../../domain/money';
import type { EmailDataOf, EmailMessage } from '../../domain/notifications';
import { recipientProblem } from '../../email/recipient';
import { renderEmail } from '../../email/render';
import { Holds, type Hold } from './activity-holds';

export type { Hold } from './activity-holds';

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
export type Adjustment = Output<'applyCorrection'>[number];
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

export interface Posting {
  request: CorrectionRequest;
  adjustments: Adjustment[];
}

/** An invoice the monitoring sweep finds, as the billing records would show it. */
export interface RecordedInvoice {
  customerId: string;
  invoiceId: string;
  recordedAt: string;
}

/** Server time of the current activity attempt: the time-skipping clock, not the machine's. */
function serverNow(): Date {
  return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
}

function nonRetryable(message: string, type: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}

export class FakeActivities {
  readonly events: TimelineEvent[] = [];
  readonly projections: Projection[] = [];
  readonly emails: QueuedEmail[] = [];
  readonly deliveries: string[] = [];
  readonly postings: Posting[] = [];
  readonly savedFindings: { disputeId: string; findings: FindingDto[] }[] = [];
  readonly recurrenceChecks: Input<'checkRecurrence'>[0][] = [];
  readonly sweeps: Input<'invoicesRecordedBetween'>[0][] = [];
  /** Calls per activity, retries included. */
  readonly calls = new Map<ActivityName, number>();
  /** Things the real activities would have refused or silently dropped; a test expects none. */
  readonly problems: string[] = [];

  /** Investigation results by dispute id; a dispute without one fails its investigation. */
  readonly investigations = new Map<string, InvestigationOutcome>();
  /** Findings the recurrence check reports per new invoice, before filtering by the dispute's rules. */
  readonly recurrences = new Map<string, FindingDto[]>();
  /** Invoices the monitoring sweep may find. */
  readonly recordedInvoices: RecordedInvoice[] = [];
  /** While set, delivering a queued email it matches fails (retryably), as when SMTP is down. */
  failDelivery: ((email: QueuedEmail) => boolean) | null = null;

  private readonly holds = new Holds<ArgsByName>();
  private readonly eventKeys = new Set<string>();
  private readonly checked = new Set<string>();
  private documentSeq = 0;
  private inFlightCount = 0;

  /** Activities running in this process right now, held ones included. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /** Calls waiting on a hold right now. */
  get held(): number {
    return this.holds.waiting;
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

  eventsOf(disputeId: string): TimelineEvent[] {
    return this.events.filter((e) => e.disputeId === disputeId);
  }

  emailsOf(disputeId: string): QueuedEmail[] {
    return this.emails.filter((e) => e.disputeId === disputeId);
  }

  postingsOf(disputeId: string): Posting[] {
    return this.postings.filter((p) => p.request.disputeId === disputeId);
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
      await this.holds.pass(activity, args);
      return await body();
    } finally {
      this.inFlightCount -= 1;
    }
  }

  private adjustmentsFor(request: CorrectionRequest, now: Date): Adjustment[] {
    const amount = fromMoneyDto(request.amount);
    return documentsOf(request.kind).map((kind) => {
      this.documentSeq += 1;
      const adjustment: Adjustment = {
        id: `adj-${this.documentSeq}`,
        kind,
        documentNumber: formatDocumentNumber(DOCUMENT_PREFIXES[kind], this.documentSeq),
        amount: request.amount,
        tax: toMoneyDto(zero(amount.currency)),
        createdAt: now.toISOString(),
        details: {},
      };
      if (kind === 'payment_plan') {
        const from = request.installmentsFrom
          ? Date.parse(request.installmentsFrom)
          : now.getTime();
        adjustment.installments = planInstallments(amount, request.installments ?? 1, from).map(
          (i) => ({
            number: i.number,
            dueAt: i.dueOn,
            amount: toMoneyDto(i.amount),
            status: 'open',
          }),
        );
      }
      return adjustment;
    });
  }

  /** The activities, as the worker registers them. */
  readonly activities: Activities = {
    recordEvent: (event) =>
      this.run('recordEvent', [event], () => {
        // Keyed like the real table: a retried attempt writes nothing.
        if (this.eventKeys.has(event.key)) return;
        this.eventKeys.add(event.key);
        this.events.push(event);
      }),

    projectDispute: (state) =>
      this.run('projectDispute', [state], () => {
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
          throw nonRetryable(`no investigation scripted for ${request.disputeId}`, 'MissingRecord');
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
        if (recipient) {
          this.problems.push(`recipient of ${messageId}: ${recipient}`);
          throw nonRetryable(recipient, 'InvalidRecipient');
        }
        let subject: string;
        try {
          subject = renderEmail(request.message, request.locale).subject;
        } catch (error) {
          this.problems.push(`cannot render ${request.message.kind}: ${String(error)}`);
          throw nonRetryable(String(error), 'InvalidEmail');
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
        const email = this.emails.find((e) => e.messageId === messageId);
        if (!email) {
          this.problems.push(`delivery of ${messageId}, which was never queued`);
          throw nonRetryable(`no queued email ${messageId}`, 'MissingRecord');
        }
        if (this.failDelivery?.(email))
          throw ApplicationFailure.retryable(`SMTP refuses ${messageId} for now`, 'SmtpDown');
        if (!this.deliveries.includes(messageId)) this.deliveries.push(messageId);
      }),

    checkRecurrence: (request) =>
      this.run('checkRecurrence', [request], () => {
        this.recurrenceChecks.push(request);
        const key = `${request.disputeId}:${request.invoiceId}`;
        if (this.checked.has(key)) return { alreadyChecked: true, findings: [] };
        this.checked.add(key);
        const findings = (this.recurrences.get(request.invoiceId) ?? []).filter(
          (f) => request.rules.includes(f.rule) && fromMoneyDto(f.delta).minor !== 0n,
        );
        return { alreadyChecked: false, findings };
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
      this.run('applyCorrection', [request], () => {
        const posted = this.postings.find(
          (p) => p.request.disputeId === request.disputeId && p.request.step === request.step,
        );
        // Keyed by dispute and step like the real ledger: a retry gets what was posted.
        if (posted) return posted.adjustments;
        // The ledger's checks that depend only on what the workflow sends (not on billing records).
        try {
          checkJustified(request, fromMoneyDto(request.amount));
          if (request.kind === 'payment_plan')
            installmentCount(request, fromMoneyDto(request.amount));
        } catch (error) {
          if (!(error instanceof CorrectionError)) throw error;
          this.problems.push(
            `ledger refuses ${request.step} of ${request.disputeId}: ${error.message}`,
          );
          throw nonRetryable(error.message, error.problem);
        }
        const adjustments = this.adjustmentsFor(request, serverNow());
        this.postings.push({ request, adjustments });
        return adjustments;
      }),

    scanInvoices: (request) =>
      this.run('scanInvoices', [request], () => {
        throw nonRetryable('the dispute workflow never scans invoices', 'NotFaked');
      }),

    openReviewDispute: (request) =>
      this.run('openReviewDispute', [request], () => {
        throw nonRetryable('the dispute workflow never opens disputes', 'NotFaked');
      }),
  };
}

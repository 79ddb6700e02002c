// What billing systems hear about: the webhook event types, their payloads, the retry schedule of
// a delivery and the rules an endpoint URL must follow. Pure; store/ writes, workers/ delivers.
import type { MoneyDto, Phase, Reason, Resolution } from './dispute';
import type { FindingDto } from './investigation/dto';

export const WEBHOOK_EVENT_TYPES = [
  'dispute.opened',
  'dispute.phase_changed',
  'dispute.closed',
  'adjustment.posted',
  'adjustment.reversed',
  'invoice.hold_changed',
  'monitoring.recurrence_found',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

interface DisputeRef {
  disputeId: string;
  customerId: string;
  invoiceId: string;
}

export interface DisputeOpenedData extends DisputeRef {
  reason: Reason;
  claimedAmount: MoneyDto | null;
  openedAt: string;
  openedBy: string;
  /** Internal review cases (proactive scan) involve no customer contact. */
  internal: boolean;
}

export interface PhaseChangedData extends DisputeRef {
  from: Phase;
  to: Phase;
  /** When the new phase escalates if nobody acts; null for phases that wait on nobody. */
  deadline: string | null;
  escalationLevel: number;
}

export interface DisputeClosedData extends DisputeRef {
  resolution: Resolution | null;
  rootCause: string | null;
  closedAt: string;
}

export interface PostedInstallment {
  number: number;
  dueOn: string;
  amount: MoneyDto;
}

/** A ledger document as the billing system books it. */
export interface PostedDocument {
  kind: string;
  documentNumber: string;
  amount: MoneyDto;
  tax: MoneyDto;
  issuedAt: string;
  /** The invoice a credit note, debit note or write-off applies to, or a corrected invoice replaces. */
  invoiceId: string;
  /** A corrected invoice's new invoice id, a refund's credit note; absent otherwise. */
  replacementInvoiceId?: string;
  settles?: string;
  installments: PostedInstallment[];
}

export interface AdjustmentPostedData extends DisputeRef {
  documents: PostedDocument[];
}

/** A reversal document: the mirror of one posted document, which stays as it was. */
export interface ReversalDocument {
  documentNumber: string;
  /** The document it reverses, and that document's kind. */
  reverses: string;
  reversedKind: string;
  amount: MoneyDto;
  tax: MoneyDto;
  issuedAt: string;
  invoiceId: string;
}

export interface AdjustmentReversedData extends DisputeRef {
  documents: ReversalDocument[];
  reason: string;
  reversedBy: string;
}

export interface Hold {
  amount: MoneyDto;
  since: string;
}

export interface HoldChangedData extends DisputeRef {
  /** The hold now, or null once it has ended. */
  hold: Hold | null;
  previous: MoneyDto | null;
  cause: HoldCause;
}

export interface RecurrenceFoundData extends DisputeRef {
  /** The newly issued invoice on which the error came back. */
  newInvoiceId: string;
  findings: FindingDto[];
  totalDelta: MoneyDto;
}

export interface WebhookEventData {
  'dispute.opened': DisputeOpenedData;
  'dispute.phase_changed': PhaseChangedData;
  'dispute.closed': DisputeClosedData;
  'adjustment.posted': AdjustmentPostedData;
  'adjustment.reversed': AdjustmentReversedData;
  'invoice.hold_changed': HoldChangedData;
  'monitoring.recurrence_found': RecurrenceFoundData;
}

/** One event to record: `{ type, data }`, with `data` typed by `type`. */
export type WebhookEventInput = {
  [T in WebhookEventType]: { type: T; data: WebhookEventData[T] };
}[WebhookEventType];

/** Why a collection hold started, changed or ended. */
export type HoldCause = 'opened' | 'investigated' | 'corrected' | 'closed' | 'reopened';

/** Deliveries are retried for this long after the event, then given up (an operator may redeliver). */
export const WEBHOOK_RETRY_WINDOW_MS = 3 * 24 * 3600 * 1000;
const FIRST_RETRY_MS = 1000;
const LONGEST_WAIT_MS = 3600 * 1000;

/**
 * Wait before the next attempt after `failures` failed ones: 1 s, 2 s, 4 s … doubling up to an
 * hour, each spread by up to ±20 % (`jitter` in [0, 1)) so a recovering receiver is not hit by
 * every waiting delivery at the same instant.
 */
export function retryDelayMs(failures: number, jitter: number): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(failures - 1, 0), LONGEST_WAIT_MS);
  return Math.round(base * (0.8 + 0.4 * jitter));
}

export const WEBHOOK_URL_MAX_LENGTH = 2048;

const LABEL = '[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*';
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const PORT = '(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
/**
 * The endpoint URLs accepted, as a pattern the OpenAPI document states: http(s), a host name
 * (its last label starts with a letter, so it is never read as a number) or an IPv4 address, an
 * optional port, then printable ASCII without a fragment. Every URL it matches parses.
 */
const HOST = `(?:(?:${LABEL}\\.)*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*|(?:${OCTET}\\.){3}${OCTET})`;
/** RFC 3986's path, query and fragment characters, and percent-escapes. */
const URI_CHARS = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})";
/** An http(s) link a person gives (evidence): like a webhook URL, with a fragment allowed. */
export const HTTP_LINK_PATTERN = new RegExp(
  `^[Hh][Tt][Tt][Pp][Ss]?://${HOST}(?::${PORT})?(?:[/?]${URI_CHARS}*)?(?:#${URI_CHARS}*)?$`,
);
export const WEBHOOK_URL_PATTERN = new RegExp(
  `^[Hh][Tt][Tt][Pp][Ss]?://(?:(?:${LABEL}\\.)*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*|(?:${OCTET}\\.){3}${OCTET})` +
    `(?::${PORT})?(?:[/?][\\x21\\x22\\x24-\\x7e]*)?$`,
);

/** Why `url` cannot be a webhook endpoint, or null when it can. */
export function webhookUrlProblem(url: string): string | null {
  if (url.length > WEBHOOK_URL_MAX_LENGTH)
    return `longer than ${WEBHOOK_URL_MAX_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not an absolute URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be http or https';
  if (parsed.username || parsed.password)
    return 'must not carry credentials; receivers check the Settle-Signature header instead';
  if (parsed.hash) return 'must not have a fragment';
  if (!parsed.hostname) return 'must name a host';
  if (!WEBHOOK_URL_PATTERN.test(url))
    return 'must be an http(s) URL of a host name or IPv4 address, in printable ASCII';
  return null;
}

// Threading headers: deterministic Message-IDs so every email of a dispute lands in one thread,
// and a retried send carries the same Message-ID as the first attempt.

export const DEFAULT_MAIL_DOMAIN = 'settle.local';

export interface ThreadHeaders {
  messageId: string;
  inReplyTo: string;
  references: string[];
}

const DISPUTE_ID = /^[A-Za-z0-9_-]+$/;
const STEP_KEY = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;
const DOMAIN =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

function check(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value))
    throw new RangeError(`invalid ${what} for a Message-ID: ${JSON.stringify(value)}`);
  return value;
}

/** `<dispute-D-123@settle.local>`: the thread every message of the dispute refers to. */
export function threadRootId(disputeId: string, domain: string = DEFAULT_MAIL_DOMAIN): string {
  const id = check(disputeId, DISPUTE_ID, 'dispute id');
  return `<dispute-${id}@${check(domain, DOMAIN, 'domain')}>`;
}

/** `<dispute-D-123.ack@settle.local>` for step key `ack`; step keys may be dotted (`offer.r2`). */
export function stepMessageId(
  disputeId: string,
  stepKey: string,
  domain: string = DEFAULT_MAIL_DOMAIN,
): string {
  const id = check(disputeId, DISPUTE_ID, 'dispute id');
  const step = check(stepKey, STEP_KEY, 'step key');
  return `<dispute-${id}.${step}@${check(domain, DOMAIN, 'domain')}>`;
}

/** Message-ID, In-Reply-To and References for one step, shaped for nodemailer's message options. */
export function threadHeaders(
  disputeId: string,
  stepKey: string,
  domain: string = DEFAULT_MAIL_DOMAIN,
): ThreadHeaders {
  const root = threadRootId(disputeId, domain);
  return {
    messageId: stepMessageId(disputeId, stepKey, domain),
    inReplyTo: root,
    references: [root],
  };
}

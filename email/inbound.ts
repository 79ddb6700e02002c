// Finding the dispute a customer's email belongs to: the Message-IDs Settle sent (In-Reply-To and
// References name them) first, then the `[Settle D-…]` tag every subject carries.

const DISPUTE_ID = /^D-[0-9A-Z]{10}$/;
const SUBJECT_TAG = /\[Settle (D-[0-9A-Z]{10})\]/i;

/** The dispute of one of our Message-IDs, `<dispute-D-…[.step]@domain>`, or null. */
export function disputeOfMessageId(messageId: string, domain: string): string | null {
  const match = /^<?dispute-(D-[0-9A-Z]{10})(?:\.[A-Za-z0-9_.-]+)?@([^>]+)>?$/.exec(
    messageId.trim(),
  );
  if (!match || match[2]!.toLowerCase() !== domain.toLowerCase()) return null;
  return match[1]!;
}

export function disputeOfSubject(subject: string): string | null {
  const id = SUBJECT_TAG.exec(subject)?.[1]?.toUpperCase();
  return id && DISPUTE_ID.test(id) ? id : null;
}

export type MatchSource = 'in_reply_to' | 'references' | 'subject';

export interface MatchCandidate {
  disputeId: string;
  matchedBy: MatchSource;
}

/**
 * Candidates in the order to try them: In-Reply-To, then References from the newest, then the
 * subject tag. The caller takes the first that names a dispute it knows.
 */
export function matchCandidates(
  mail: { inReplyTo: string | null; references: readonly string[]; subject: string },
  domain: string,
): MatchCandidate[] {
  const out: MatchCandidate[] = [];
  const push = (disputeId: string | null, matchedBy: MatchSource): void => {
    if (disputeId && !out.some((c) => c.disputeId === disputeId))
      out.push({ disputeId, matchedBy });
  };
  for (const id of (mail.inReplyTo ?? '').split(/\s+/).filter(Boolean))
    push(disputeOfMessageId(id, domain), 'in_reply_to');
  for (const id of [...mail.references].reverse())
    push(disputeOfMessageId(id, domain), 'references');
  push(disputeOfSubject(mail.subject), 'subject');
  return out;
}

/** The address's domain, lower case, or '' when it has none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}

/** A sender other than the contact, or outside the contact's and the customer's domains, is flagged. */
export function isUnexpectedSender(
  from: string,
  contactEmail: string,
  customerEmail: string | null,
): boolean {
  const sender = from.toLowerCase();
  if (sender === contactEmail.toLowerCase()) return false;
  const domain = domainOf(sender);
  const known = [contactEmail, customerEmail ?? ''].map(domainOf).filter(Boolean);
  return !domain || !known.includes(domain);
}

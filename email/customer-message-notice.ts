// The assignee's notification about a customer's message, rendered for the outbox. The recipient
// is the staff contact of the dispute's escalation level, greeted by the assignee's name.
import type { Contact } from '../domain/dispute';
import { toEscalationLevel, type Locale } from '../domain/notifications';
import { threadHeaders } from './headers';
import { renderEmail } from './render';

/** What the notice is built from (the shape store/customer-messages hands its notify callback). */
export interface CustomerMessageFacts {
  messageRowId: string;
  dispute: {
    id: string;
    invoiceId: string;
    customerName: string;
    assignee: string | null;
    escalationLevel: number;
    locale: Locale;
  };
  message: {
    fromAddress: string;
    channel: 'email' | 'web';
    receivedAt: Date;
    subject: string;
    text: string;
    flagged: boolean;
    attachments: readonly { name: string; size: number }[];
  };
}

export interface CustomerMessageNotice {
  messageId: string;
  inReplyTo: string | null;
  kind: 'customer_message';
  to: Contact;
  subject: string;
  text: string;
  html: string;
}

export function customerMessageNotice(
  facts: CustomerMessageFacts,
  contacts: readonly Contact[],
  domain: string,
): CustomerMessageNotice {
  const { dispute, message } = facts;
  const level = toEscalationLevel(Math.min(dispute.escalationLevel, 3));
  const staff = contacts[Math.min(level, contacts.length - 1)] ?? contacts[0];
  if (!staff) throw new RangeError('the policy names no staff contact');
  const to = { name: dispute.assignee ?? staff.name, email: staff.email };
  const step = `customer-message.${facts.messageRowId.replace(/[^A-Za-z0-9]/g, '')}`;
  const headers = threadHeaders(dispute.id, step, domain);
  const rendered = renderEmail(
    {
      kind: 'customer_message',
      data: {
        caseNumber: dispute.id,
        invoiceNumber: dispute.invoiceId,
        recipientName: to.name,
        customerName: dispute.customerName,
        from: message.fromAddress,
        channel: message.channel,
        receivedAt: message.receivedAt.toISOString(),
        subject: message.subject,
        excerpt: message.text.slice(0, 600).trim(),
        flagged: message.flagged,
        attachments: message.attachments.map((a) => ({ name: a.name, size: a.size })),
      },
    },
    dispute.locale,
  );
  return {
    messageId: headers.messageId,
    inReplyTo: headers.inReplyTo,
    kind: 'customer_message',
    to,
    ...rendered,
  };
}

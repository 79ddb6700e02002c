// The assignee's notification about a customer's message, rendered for the outbox. The recipient
// is the staff contact of the dispute's escalation level, greeted by the assignee's name.
import type { Contact } from '../domain/dispute';
import { toEscalationLevel } from '../domain/notifications';
import type { NotificationFacts, RenderedNotification } from '../store/customer-messages/record';
import { threadHeaders } from './headers';
import { renderEmail } from './render';

export function customerMessageNotice(
  facts: NotificationFacts,
  contacts: readonly Contact[],
  domain: string,
): RenderedNotification {
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

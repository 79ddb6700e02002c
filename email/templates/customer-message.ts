// To the assignee: the customer wrote (an email reply or a note on the response page).
import { action, compact, facts, list, paragraph, quote, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import type { CustomerMessageData, Locale } from '../../domain/notifications';

interface Copy {
  subject(customer: string): string;
  intro(customer: string, caseNumber: string, channel: CustomerMessageData['channel']): string;
  labels: { from: string; received: string; subject: string };
  flagged(from: string): string;
  text: string;
  attachments: string;
  size(bytes: string): string;
  open: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (customer) => `New message from ${customer}`,
    intro: (customer, caseNumber, channel) =>
      channel === 'email'
        ? `${customer} replied by email on case ${caseNumber}. The message is on the case timeline.`
        : `${customer} left a note on the response page of case ${caseNumber}. It is on the case timeline.`,
    labels: { from: 'From', received: 'Received', subject: 'Subject' },
    flagged: (from) =>
      `Check the sender: ${from} is neither the case contact nor an address of the customer’s domain.`,
    text: 'The message begins:',
    attachments: 'Attachments (names and sizes only; ask the customer if you need them):',
    size: (bytes) => `${bytes} bytes`,
    open: 'Open the case',
  },
  fr: {
    subject: (customer) => `Nouveau message de ${customer}`,
    intro: (customer, caseNumber, channel) =>
      channel === 'email'
        ? `${customer} a répondu par e-mail sur le dossier ${caseNumber}. Le message figure dans l’historique du dossier.`
        : `${customer} a laissé une note sur la page de réponse du dossier ${caseNumber}. Elle figure dans l’historique du dossier.`,
    labels: { from: 'De', received: 'Reçu', subject: 'Objet' },
    flagged: (from) =>
      `Vérifiez l’expéditeur\u00a0: ${from} n’est ni le contact du dossier ni une adresse du domaine du client.`,
    text: 'Début du message\u00a0:',
    attachments:
      'Pièces jointes (noms et tailles seulement\u00a0; demandez-les au client si nécessaire)\u00a0:',
    size: (bytes) => `${bytes} octets`,
    open: 'Ouvrir le dossier',
  },
};

export function customerMessage(data: CustomerMessageData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  return {
    subject: t.subject(data.customerName),
    greet: data.recipientName,
    blocks: compact([
      paragraph(t.intro(data.customerName, data.caseNumber, data.channel)),
      data.flagged && paragraph(t.flagged(data.from)),
      facts([
        [t.labels.from, data.from],
        [t.labels.received, ctx.dateTime(data.receivedAt)],
        [t.labels.subject, data.subject],
      ]),
      data.excerpt && quote(t.text, data.excerpt),
      data.attachments.length > 0 && paragraph(t.attachments),
      data.attachments.length > 0 &&
        list(data.attachments.map((a) => `${a.name} (${t.size(ctx.count(a.size))})`)),
      data.caseUrl && action(t.open, data.caseUrl),
    ]),
  };
}

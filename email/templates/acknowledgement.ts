// To the customer when a dispute opens: the case number, what happens next and by when.
import { action, compact, facts, heading, list, paragraph, quote, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { capitalize, reasonLabel } from '../phrases';
import type { AcknowledgementData, Locale } from '../../domain/notifications';

interface Copy {
  subject(invoice: string): string;
  intro(invoice: string, caseNumber: string, openedOn: string): string;
  labels: { caseNumber: string; invoice: string; reason: string; claimed: string };
  description: string;
  next: string;
  steps(findingsBy: string): string[];
  documents: string;
  online: { documents: string; label: string };
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (invoice) => `We have received your dispute about invoice ${invoice}`,
    intro: (invoice, caseNumber, openedOn) =>
      `Thank you for telling us about a problem with invoice ${invoice}. We opened case ${caseNumber} on ${openedOn} and will follow it until it is resolved.`,
    labels: {
      caseNumber: 'Case number',
      invoice: 'Invoice',
      reason: 'Reason',
      claimed: 'Amount you dispute',
    },
    description: 'What you told us:',
    next: 'What happens next',
    steps: (findingsBy) => [
      'We check the invoice against your purchase orders, your contract, the delivery receipts and any agreed discounts.',
      `By ${findingsBy}, we send you what we found, with the amounts.`,
      'If we find an error, we propose how to put it right — for example a credit note, a refund or a corrected invoice.',
    ],
    documents:
      'If you have documents that support your claim (purchase order, contract, delivery receipt), reply to this email and attach them.',
    online: {
      documents:
        'Anything to add? Reply to this email and attach your documents (purchase order, contract, delivery receipt), or send us a note on your case page.',
      label: 'Your case page',
    },
  },
  fr: {
    subject: (invoice) => `Nous avons bien reçu votre contestation de la facture ${invoice}`,
    intro: (invoice, caseNumber, openedOn) =>
      `Merci de nous avoir signalé un problème sur la facture ${invoice}. Nous avons ouvert le dossier ${caseNumber} le ${openedOn} et le suivrons jusqu’à sa résolution.`,
    labels: {
      caseNumber: 'Numéro de dossier',
      invoice: 'Facture',
      reason: 'Motif',
      claimed: 'Montant contesté',
    },
    description: 'Ce que vous nous avez indiqué\u00a0:',
    next: 'Prochaines étapes',
    steps: (findingsBy) => [
      'Nous vérifions la facture par rapport à vos bons de commande, à votre contrat, aux bons de livraison et aux remises convenues.',
      `D’ici le ${findingsBy}, nous vous communiquons nos constats, montants à l’appui.`,
      'Si nous constatons une erreur, nous vous proposons une correction — par exemple un avoir, un remboursement ou une facture rectificative.',
    ],
    documents:
      'Si vous disposez de documents à l’appui de votre demande (bon de commande, contrat, bon de livraison), répondez à cet e-mail en les joignant.',
    online: {
      documents:
        'Un élément à ajouter\u00a0? Répondez à cet e-mail en joignant vos documents (bon de commande, contrat, bon de livraison), ou envoyez-nous une note depuis la page de votre dossier.',
      label: 'La page de votre dossier',
    },
  },
};

export function acknowledgement(data: AcknowledgementData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  return {
    subject: t.subject(data.invoiceNumber),
    greet: data.contactName,
    blocks: compact([
      paragraph(t.intro(data.invoiceNumber, data.caseNumber, ctx.date(data.openedAt))),
      facts([
        [t.labels.caseNumber, data.caseNumber],
        [t.labels.invoice, data.invoiceNumber],
        [t.labels.reason, capitalize(reasonLabel(data.reason, ctx))],
        [t.labels.claimed, data.claimedAmount && ctx.money(data.claimedAmount)],
      ]),
      data.description && quote(t.description, data.description),
      heading(t.next),
      list(t.steps(ctx.dateTime(data.findingsDueBy))),
      paragraph(ctx.responseUrl ? t.online.documents : t.documents),
      ctx.responseUrl && action(t.online.label, ctx.responseUrl),
    ]),
  };
}

// To the customer: what we propose, the amount, how to answer and by when.
import { action, compact, facts, heading, list, paragraph, quote, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { capitalize, installmentsTable, proposalSummary, remedyLabel } from '../phrases';
import type { Locale, OfferData, Remedy } from '../../domain/notifications';

interface Copy {
  subject(summary: string): string;
  intro(invoice: string, revised: boolean): string;
  labels: { proposal: string; amount: string; answerBy: string };
  what: Record<Remedy, (amount: string, invoice: string, installments: string) => string>;
  installments: { one: string; other: string };
  note: string;
  how: string;
  steps(by: string): string[];
  online: { label: string; steps(by: string): string[] };
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (summary) => `Our proposal to settle your dispute: ${summary}`,
    intro: (invoice, revised) =>
      revised
        ? `Thank you for your answer. Here is our revised proposal for invoice ${invoice}.`
        : `Following our review of invoice ${invoice}, here is what we propose.`,
    labels: { proposal: 'Proposal', amount: 'Amount', answerBy: 'Answer by' },
    what: {
      credit_note: (amount, invoice) =>
        `We will issue a credit note of ${amount} against invoice ${invoice}. It reduces what you owe us, and you can deduct it from your next payment.`,
      refund: (amount) => `We will refund ${amount} to the account you paid from.`,
      corrected_invoice: (amount, invoice) =>
        `We will cancel invoice ${invoice} and issue a corrected invoice in its place; the correction amounts to ${amount}.`,
      debit_note: (amount, invoice) =>
        `Invoice ${invoice} was billed too low. We will issue a debit note of ${amount} for the difference.`,
      payment_plan: (amount, _invoice, installments) =>
        `You can pay ${amount} in ${installments}, on the dates below.`,
      write_off: (amount, invoice) =>
        `Invoice ${invoice} was billed ${amount} too low. We will not ask you to pay this difference.`,
    },
    installments: { one: 'installment', other: 'installments' },
    note: 'A note from our billing team:',
    how: 'How to answer',
    steps: (by) => [
      'To accept, reply to this email and say that you accept.',
      'If you do not agree, reply and tell us why. We will review your answer and come back to you.',
      `Please answer by ${by}.`,
    ],
    online: {
      label: 'Answer online',
      steps: (by) => [
        'Use the button below to see the details and accept or reject the proposal; you can add a note for us.',
        'You can also reply to this email: tell us that you accept, or why you do not agree.',
        `Please answer by ${by}.`,
      ],
    },
  },
  fr: {
    subject: (summary) => `Notre proposition pour régler votre contestation\u00a0: ${summary}`,
    intro: (invoice, revised) =>
      revised
        ? `Merci pour votre réponse. Voici notre nouvelle proposition pour la facture ${invoice}.`
        : `À la suite de notre examen de la facture ${invoice}, voici notre proposition.`,
    labels: { proposal: 'Proposition', amount: 'Montant', answerBy: 'Date limite de réponse' },
    what: {
      credit_note: (amount, invoice) =>
        `Nous émettrons un avoir de ${amount} sur la facture ${invoice}. Il réduit le montant que vous nous devez et peut être déduit de votre prochain règlement.`,
      refund: (amount) =>
        `Nous vous rembourserons ${amount} sur le compte à partir duquel vous avez payé.`,
      corrected_invoice: (amount, invoice) =>
        `Nous annulerons la facture ${invoice} et émettrons une facture rectificative à sa place\u00a0; la correction s’élève à ${amount}.`,
      debit_note: (amount, invoice) =>
        `La facture ${invoice} a été sous-facturée. Nous émettrons une note de débit de ${amount} pour la différence.`,
      payment_plan: (amount, _invoice, installments) =>
        `Vous pouvez régler ${amount} en ${installments}, aux dates ci-dessous.`,
      write_off: (amount, invoice) =>
        `La facture ${invoice} a été sous-facturée de ${amount}. Nous ne vous demanderons pas de payer cette différence.`,
    },
    installments: { one: 'échéance', other: 'échéances' },
    note: 'Un mot de notre service facturation\u00a0:',
    how: 'Comment répondre',
    steps: (by) => [
      'Pour accepter, répondez à cet e-mail en indiquant que vous acceptez.',
      'Si vous n’êtes pas d’accord, répondez en nous expliquant pourquoi. Nous étudierons votre réponse et reviendrons vers vous.',
      `Merci de répondre avant le ${by}.`,
    ],
    online: {
      label: 'Répondre en ligne',
      steps: (by) => [
        'Le bouton ci-dessous affiche le détail et vous permet d’accepter ou de refuser la proposition, avec une note si vous le souhaitez.',
        'Vous pouvez aussi répondre à cet e-mail\u00a0: dites-nous que vous acceptez, ou pourquoi vous n’êtes pas d’accord.',
        `Merci de répondre avant le ${by}.`,
      ],
    },
  },
};

export function offer(data: OfferData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const { proposal } = data;
  const amount = ctx.money(proposal.amount);
  const plan = proposal.remedy === 'payment_plan' ? proposal.installments : [];
  const installments = `${ctx.count(plan.length)} ${ctx.plural(plan.length, t.installments)}`;
  const answerBy = ctx.dateTime(data.respondBy);
  return {
    subject: t.subject(proposalSummary(proposal, ctx)),
    greet: data.contactName,
    blocks: compact([
      paragraph(t.intro(data.invoiceNumber, data.round > 1)),
      facts([
        [t.labels.proposal, capitalize(remedyLabel(proposal.remedy, ctx))],
        [t.labels.amount, amount],
        [t.labels.answerBy, answerBy],
      ]),
      paragraph(t.what[proposal.remedy](amount, data.invoiceNumber, installments)),
      plan.length > 0 && installmentsTable(plan, ctx),
      data.explanation && quote(t.note, data.explanation),
      heading(t.how),
      list(ctx.responseUrl ? t.online.steps(answerBy) : t.steps(answerBy)),
      ctx.responseUrl && action(t.online.label, ctx.responseUrl),
    ]),
  };
}

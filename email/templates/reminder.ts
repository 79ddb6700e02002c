// To the customer: the offer is still open, and its deadline.
import { action, compact, facts, paragraph, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { capitalize, proposalSummary } from '../phrases';
import type { Locale, ReminderData } from '../../domain/notifications';

interface Copy {
  subject(byDate: string): string;
  intro(offeredOn: string, invoice: string, summary: string): string;
  labels: { proposal: string; answerBy: string };
  ask(by: string): string;
  already: string;
  online: { label: string; ask(by: string): string };
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (byDate) => `Reminder: our proposal is waiting for your answer (by ${byDate})`,
    intro: (offeredOn, invoice, summary) =>
      `On ${offeredOn} we made a proposal to settle your dispute about invoice ${invoice}: ${summary}. The proposal is still open, and we have not received your answer yet.`,
    labels: { proposal: 'Proposal', answerBy: 'Answer by' },
    ask: (by) =>
      `Please answer by ${by}: reply to this email to accept, or tell us why you do not agree.`,
    already: 'If you have already answered, thank you — you can ignore this reminder.',
    online: {
      label: 'Answer online',
      ask: (by) =>
        `Please answer by ${by}: use the button below to accept or reject the proposal, or reply to this email.`,
    },
  },
  fr: {
    subject: (byDate) =>
      `Rappel\u00a0: notre proposition attend votre réponse (avant le ${byDate})`,
    intro: (offeredOn, invoice, summary) =>
      `Le ${offeredOn}, nous vous avons fait une proposition pour régler votre contestation de la facture ${invoice}\u00a0: ${summary}. Cette proposition est toujours valable et nous n’avons pas encore reçu votre réponse.`,
    labels: { proposal: 'Proposition', answerBy: 'Date limite de réponse' },
    ask: (by) =>
      `Merci de répondre avant le ${by}\u00a0: répondez à cet e-mail pour accepter, ou expliquez-nous pourquoi vous n’êtes pas d’accord.`,
    already: 'Si vous avez déjà répondu, merci — vous pouvez ignorer ce rappel.',
    online: {
      label: 'Répondre en ligne',
      ask: (by) =>
        `Merci de répondre avant le ${by}\u00a0: le bouton ci-dessous vous permet d’accepter ou de refuser la proposition\u00a0; vous pouvez aussi répondre à cet e-mail.`,
    },
  },
};

export function reminder(data: ReminderData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const summary = proposalSummary(data.proposal, ctx);
  const answerBy = ctx.dateTime(data.respondBy);
  return {
    subject: t.subject(ctx.date(data.respondBy)),
    greet: data.contactName,
    blocks: compact([
      paragraph(t.intro(ctx.date(data.offeredAt), data.invoiceNumber, summary)),
      facts([
        [t.labels.proposal, capitalize(summary)],
        [t.labels.answerBy, answerBy],
      ]),
      paragraph(ctx.responseUrl ? t.online.ask(answerBy) : t.ask(answerBy)),
      ctx.responseUrl && action(t.online.label, ctx.responseUrl),
      paragraph(t.already),
    ]),
  };
}

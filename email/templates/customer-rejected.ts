// To the assignee: the customer rejected the offer; a new round or mediation follows.
import { action, compact, paragraph, quote, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { proposalSummary } from '../phrases';
import type { CustomerRejectedData, Locale } from '../../domain/notifications';

interface Copy {
  subject(customer: string, round: string, maxRounds: string): string;
  intro(customer: string, caseNumber: string, summary: string): string;
  comment: string;
  newRound(round: string, maxRounds: string, by: string | null): string;
  mediation(maxRounds: string): string;
  open: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (customer, round, maxRounds) =>
      `${customer} rejected our proposal (round ${round} of ${maxRounds})`,
    intro: (customer, caseNumber, summary) =>
      `${customer} rejected our proposal on case ${caseNumber}: ${summary}.`,
    comment: 'Customer’s comment:',
    newRound: (round, maxRounds, by) =>
      `Round ${round} of ${maxRounds} is over. Please prepare a new proposal${by ? ` by ${by}` : ''}.`,
    mediation: (maxRounds) =>
      `That was the last of ${maxRounds} rounds, so the case now goes to mediation.`,
    open: 'Open the case',
  },
  fr: {
    subject: (customer, round, maxRounds) =>
      `${customer} a refusé notre proposition (tour ${round} sur ${maxRounds})`,
    intro: (customer, caseNumber, summary) =>
      `${customer} a refusé notre proposition pour le dossier ${caseNumber}\u00a0: ${summary}.`,
    comment: 'Commentaire du client\u00a0:',
    newRound: (round, maxRounds, by) =>
      `Le tour ${round} sur ${maxRounds} est terminé. Merci de préparer une nouvelle proposition${by ? ` avant le ${by}` : ''}.`,
    mediation: (maxRounds) =>
      `C’était le dernier des ${maxRounds} tours de négociation\u00a0; le dossier passe en médiation.`,
    open: 'Ouvrir le dossier',
  },
};

export function customerRejected(data: CustomerRejectedData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const round = ctx.count(data.round);
  const maxRounds = ctx.count(data.maxRounds);
  return {
    subject: t.subject(data.customerName, round, maxRounds),
    greet: data.recipientName,
    blocks: compact([
      paragraph(t.intro(data.customerName, data.caseNumber, proposalSummary(data.proposal, ctx))),
      data.comment && quote(t.comment, data.comment),
      paragraph(
        data.nextStep === 'mediation'
          ? t.mediation(maxRounds)
          : t.newRound(round, maxRounds, data.decideBy ? ctx.dateTime(data.decideBy) : null),
      ),
      data.caseUrl && action(t.open, data.caseUrl),
    ]),
  };
}

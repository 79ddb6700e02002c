// To staff: direct negotiation ended without agreement and the case moved to mediation.
import { action, compact, facts, paragraph, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { capitalize, proposalSummary } from '../phrases';
import type { Locale, MediationStartedData } from '../../domain/notifications';

interface Copy {
  subject(customer: string, invoice: string): string;
  intro(caseNumber: string, rounds: string): string;
  rounds: { one: string; other: string };
  labels: {
    customer: string;
    invoice: string;
    lastProposal: string;
    delta: string;
    mediator: string;
    outcomeBy: string;
  };
  ask(by: string): string;
  open: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (customer, invoice) => `Mediation started: ${customer}, invoice ${invoice}`,
    intro: (caseNumber, rounds) =>
      `Direct negotiation on case ${caseNumber} ended after ${rounds} without agreement, so the case has moved to mediation.`,
    rounds: { one: 'round', other: 'rounds' },
    labels: {
      customer: 'Customer',
      invoice: 'Invoice',
      lastProposal: 'Last proposal',
      delta: 'Difference found',
      mediator: 'Mediator',
      outcomeBy: 'Outcome due by',
    },
    ask: (by) => `Please record the outcome of the mediation by ${by}.`,
    open: 'Open the case',
  },
  fr: {
    subject: (customer, invoice) => `Médiation engagée\u00a0: ${customer}, facture ${invoice}`,
    intro: (caseNumber, rounds) =>
      `La négociation directe sur le dossier ${caseNumber} s’est terminée après ${rounds} sans accord\u00a0; le dossier passe en médiation.`,
    rounds: { one: 'tour', other: 'tours' },
    labels: {
      customer: 'Client',
      invoice: 'Facture',
      lastProposal: 'Dernière proposition',
      delta: 'Écart constaté',
      mediator: 'Médiateur',
      outcomeBy: 'Date limite du résultat',
    },
    ask: (by) => `Merci d’enregistrer le résultat de la médiation avant le ${by}.`,
    open: 'Ouvrir le dossier',
  },
};

export function mediationStarted(data: MediationStartedData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const outcomeBy = ctx.dateTime(data.outcomeBy);
  const rounds = `${ctx.count(data.rounds)} ${ctx.plural(data.rounds, t.rounds)}`;
  return {
    subject: t.subject(data.customerName, data.invoiceNumber),
    greet: data.recipientName,
    blocks: compact([
      paragraph(t.intro(data.caseNumber, rounds)),
      facts([
        [t.labels.customer, data.customerName],
        [t.labels.invoice, data.invoiceNumber],
        [
          t.labels.lastProposal,
          data.lastProposal && capitalize(proposalSummary(data.lastProposal, ctx)),
        ],
        [t.labels.delta, data.totalDelta && ctx.money(data.totalDelta)],
        [t.labels.mediator, data.mediator],
        [t.labels.outcomeBy, outcomeBy],
      ]),
      paragraph(t.ask(outcomeBy)),
      data.caseUrl && action(t.open, data.caseUrl),
    ]),
  };
}

// To the assignee and the escalation contact: the ledger refused to post the agreed correction, so
// the case is back to awaiting a decision, with the ledger's reason.
import { action, compact, paragraph, quote, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { proposalSummary } from '../phrases';
import type { CorrectionFailedData, Locale } from '../../domain/notifications';

interface Copy {
  subject(invoice: string): string;
  intro(caseNumber: string, customer: string, summary: string): string;
  problem: string;
  next(by: string | null): string;
  nothing: string;
  open: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (invoice) => `The agreed correction of invoice ${invoice} could not be posted`,
    intro: (caseNumber, customer, summary) =>
      `The ${summary} agreed with ${customer} on case ${caseNumber} could not be posted to the ledger.`,
    problem: 'The ledger’s reason:',
    next: (by) =>
      `The case is back to awaiting a decision. Please decide again${by ? ` by ${by}` : ''}, with a remedy the ledger accepts.`,
    nothing: 'Nothing was posted and the customer has not been told of any document.',
    open: 'Open the case',
  },
  fr: {
    subject: (invoice) => `La correction convenue de la facture ${invoice} n’a pas pu être passée`,
    intro: (caseNumber, customer, summary) =>
      `La correction convenue avec ${customer} sur le dossier ${caseNumber} (${summary}) n’a pas pu être passée en comptabilité.`,
    problem: 'Motif donné par la comptabilité\u00a0:',
    next: (by) =>
      `Le dossier attend de nouveau une décision. Merci de décider à nouveau${by ? ` avant le ${by}` : ''}, avec une solution que la comptabilité accepte.`,
    nothing: 'Rien n’a été comptabilisé et aucun document n’a été annoncé au client.',
    open: 'Ouvrir le dossier',
  },
};

export function correctionFailed(data: CorrectionFailedData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  return {
    subject: t.subject(data.invoiceNumber),
    greet: data.recipientName,
    blocks: compact([
      paragraph(t.intro(data.caseNumber, data.customerName, proposalSummary(data.proposal, ctx))),
      quote(t.problem, data.problem),
      paragraph(t.nothing),
      paragraph(t.next(data.decideBy ? ctx.dateTime(data.decideBy) : null)),
      data.caseUrl && action(t.open, data.caseUrl),
    ]),
  };
}

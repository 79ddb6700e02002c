// To a manager: a proposal above the agent limit waits for approval.
import { action, compact, facts, paragraph, quote, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { capitalize, installmentsTable, proposalSummary } from '../phrases';
import type { ApprovalRequestedData, Locale } from '../../domain/notifications';

interface Copy {
  subject(summary: string, customer: string): string;
  intro(by: string, caseNumber: string, summary: string, limit: string): string;
  labels: {
    customer: string;
    invoice: string;
    proposal: string;
    delta: string;
    limit: string;
    approveBy: string;
  };
  explanation: string;
  ask(by: string): string;
  open: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (summary, customer) => `Approval needed: ${summary} for ${customer}`,
    intro: (by, caseNumber, summary, limit) =>
      `${by} proposes to settle case ${caseNumber} with a ${summary}. This is above the agent approval limit of ${limit}, so it needs your approval.`,
    labels: {
      customer: 'Customer',
      invoice: 'Invoice',
      proposal: 'Proposal',
      delta: 'Difference found',
      limit: 'Agent limit',
      approveBy: 'Decide by',
    },
    explanation: 'Explanation from the agent:',
    ask: (by) => `Please approve or reject the proposal by ${by}.`,
    open: 'Review the proposal',
  },
  fr: {
    subject: (summary, customer) => `Approbation requise\u00a0: ${summary} pour ${customer}`,
    intro: (by, caseNumber, summary, limit) =>
      `${by} propose de régler le dossier ${caseNumber} ainsi\u00a0: ${summary}. Ce montant dépasse la limite d’approbation des agents (${limit})\u00a0; il nécessite votre approbation.`,
    labels: {
      customer: 'Client',
      invoice: 'Facture',
      proposal: 'Proposition',
      delta: 'Écart constaté',
      limit: 'Limite des agents',
      approveBy: 'Date limite de décision',
    },
    explanation: 'Explication de l’agent\u00a0:',
    ask: (by) => `Merci d’approuver ou de refuser la proposition avant le ${by}.`,
    open: 'Examiner la proposition',
  },
};

export function approvalRequested(data: ApprovalRequestedData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const summary = proposalSummary(data.proposal, ctx);
  const approveBy = ctx.dateTime(data.approveBy);
  const plan = data.proposal.remedy === 'payment_plan' ? data.proposal.installments : [];
  return {
    subject: t.subject(summary, data.customerName),
    greet: data.recipientName,
    blocks: compact([
      paragraph(t.intro(data.requestedBy, data.caseNumber, summary, ctx.money(data.agentLimit))),
      facts([
        [t.labels.customer, data.customerName],
        [t.labels.invoice, data.invoiceNumber],
        [t.labels.proposal, capitalize(summary)],
        [t.labels.delta, data.totalDelta && ctx.money(data.totalDelta)],
        [t.labels.limit, ctx.money(data.agentLimit)],
        [t.labels.approveBy, approveBy],
      ]),
      plan.length > 0 && installmentsTable(plan, ctx),
      data.explanation && quote(t.explanation, data.explanation),
      paragraph(t.ask(approveBy)),
      data.caseUrl && action(t.open, data.caseUrl),
    ]),
  };
}

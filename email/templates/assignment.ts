// To staff: a case was assigned to them, with what they need to start.
import { action, compact, facts, paragraph, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { capitalize, levelText, phaseLabel, reasonLabel } from '../phrases';
import type { AssignmentData, Locale } from '../../domain/notifications';

interface Copy {
  subject(customer: string, invoice: string): string;
  intro(caseNumber: string, by: string | null): string;
  labels: {
    customer: string;
    invoice: string;
    reason: string;
    phase: string;
    claimed: string;
    delta: string;
    level: string;
    assignee: string;
    deadline: string;
  };
  deadline(at: string): string;
  open: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (customer, invoice) => `Case assigned to you: ${customer}, invoice ${invoice}`,
    intro: (caseNumber, by) =>
      by
        ? `${by} assigned case ${caseNumber} to you.`
        : `Case ${caseNumber} has been assigned to you.`,
    labels: {
      customer: 'Customer',
      invoice: 'Invoice',
      reason: 'Reason',
      phase: 'Phase',
      claimed: 'Amount claimed',
      delta: 'Difference found',
      level: 'Escalation level',
      assignee: 'Assignee',
      deadline: 'Next deadline',
    },
    deadline: (at) =>
      `The next deadline is ${at}; if it passes, the case escalates to the next level.`,
    open: 'Open the case',
  },
  fr: {
    subject: (customer, invoice) =>
      `Dossier qui vous est attribué\u00a0: ${customer}, facture ${invoice}`,
    intro: (caseNumber, by) =>
      by
        ? `${by} vous a attribué le dossier ${caseNumber}.`
        : `Le dossier ${caseNumber} vous a été attribué.`,
    labels: {
      customer: 'Client',
      invoice: 'Facture',
      reason: 'Motif',
      phase: 'Étape',
      claimed: 'Montant réclamé',
      delta: 'Écart constaté',
      level: 'Niveau d’escalade',
      assignee: 'Attribué à',
      deadline: 'Prochaine échéance',
    },
    deadline: (at) =>
      `La prochaine échéance est le ${at}\u00a0; une fois dépassée, le dossier passe au niveau d’escalade suivant.`,
    open: 'Ouvrir le dossier',
  },
};

export function assignment(data: AssignmentData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const deadline = data.deadline ? ctx.dateTime(data.deadline) : null;
  return {
    subject: t.subject(data.customerName, data.invoiceNumber),
    greet: data.recipientName,
    blocks: compact([
      paragraph(t.intro(data.caseNumber, data.assignedBy ?? null)),
      facts([
        [t.labels.customer, data.customerName],
        [t.labels.invoice, data.invoiceNumber],
        [t.labels.reason, capitalize(reasonLabel(data.reason, ctx))],
        [t.labels.phase, capitalize(phaseLabel(data.phase, ctx))],
        [t.labels.claimed, data.claimedAmount && ctx.money(data.claimedAmount)],
        [t.labels.delta, data.totalDelta && ctx.money(data.totalDelta)],
        [t.labels.level, levelText(data.escalationLevel, ctx)],
        [t.labels.assignee, data.assignee],
        [t.labels.deadline, deadline],
      ]),
      deadline && paragraph(t.deadline(deadline)),
      data.caseUrl && action(t.open, data.caseUrl),
    ]),
  };
}

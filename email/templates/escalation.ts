// To the next level's contact: a deadline passed (or someone escalated), and what is expected now.
import { action, compact, facts, paragraph, quote, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { capitalize, levelText, phaseLabel } from '../phrases';
import type { EscalationData, EscalationLevel, Locale } from '../../domain/notifications';

interface Copy {
  subject: Record<EscalationData['trigger'], (level: string, invoice: string) => string>;
  missed(caseNumber: string, phase: string, missedAt: string | null, level: string): string;
  manual(caseNumber: string, by: string | null, level: string): string;
  installment(caseNumber: string, level: string): string;
  comment: string;
  labels: {
    customer: string;
    invoice: string;
    phase: string;
    assignee: string;
    delta: string;
    deadline: string;
  };
  next(deadline: string, nextLevel: string | null): string;
  open: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: {
      deadline_missed: (level, invoice) =>
        `Escalated to level ${level}: deadline missed on invoice ${invoice}`,
      manual: (level, invoice) => `Escalated to level ${level}: invoice ${invoice}`,
      installment_overdue: (level, invoice) =>
        `Escalated to level ${level}: payment plan installment overdue on invoice ${invoice}`,
    },
    missed: (caseNumber, phase, missedAt, level) =>
      `The deadline for case ${caseNumber} (${phase}) passed${missedAt ? ` on ${missedAt}` : ''} without action, so the case is now escalated to level ${level}.`,
    manual: (caseNumber, by, level) =>
      `${by ?? 'A colleague'} escalated case ${caseNumber} to level ${level}.`,
    installment: (caseNumber, level) =>
      `An installment of the payment plan on case ${caseNumber} is still unpaid after the customer was reminded, so the case is now escalated to level ${level}.`,
    comment: 'Reason given:',
    labels: {
      customer: 'Customer',
      invoice: 'Invoice',
      phase: 'Phase',
      assignee: 'Assignee',
      delta: 'Difference found',
      deadline: 'New deadline',
    },
    next: (deadline, nextLevel) =>
      nextLevel
        ? `Please act on the case by ${deadline}. If it is still waiting then, it escalates to level ${nextLevel}.`
        : `Please act on the case by ${deadline}. This is the highest escalation level.`,
    open: 'Open the case',
  },
  fr: {
    subject: {
      deadline_missed: (level, invoice) =>
        `Escalade au niveau ${level}\u00a0: échéance dépassée sur la facture ${invoice}`,
      manual: (level, invoice) => `Escalade au niveau ${level}\u00a0: facture ${invoice}`,
      installment_overdue: (level, invoice) =>
        `Escalade au niveau ${level}\u00a0: échéance impayée sur la facture ${invoice}`,
    },
    missed: (caseNumber, phase, missedAt, level) =>
      `L’échéance du dossier ${caseNumber} (${phase}) est passée${missedAt ? ` le ${missedAt}` : ''} sans action\u00a0; le dossier est désormais escaladé au niveau ${level}.`,
    manual: (caseNumber, by, level) =>
      `${by ?? 'Un collègue'} a escaladé le dossier ${caseNumber} au niveau ${level}.`,
    installment: (caseNumber, level) =>
      `Une échéance de l’échéancier de paiement du dossier ${caseNumber} reste impayée malgré le rappel envoyé au client\u00a0; le dossier est désormais escaladé au niveau ${level}.`,
    comment: 'Motif indiqué\u00a0:',
    labels: {
      customer: 'Client',
      invoice: 'Facture',
      phase: 'Étape',
      assignee: 'Attribué à',
      delta: 'Écart constaté',
      deadline: 'Nouvelle échéance',
    },
    next: (deadline, nextLevel) =>
      nextLevel
        ? `Merci de traiter le dossier avant le ${deadline}. S’il est toujours en attente à cette date, il sera escaladé au niveau ${nextLevel}.`
        : `Merci de traiter le dossier avant le ${deadline}. C’est le niveau d’escalade le plus élevé.`,
    open: 'Ouvrir le dossier',
  },
};

function nextLevelOf(level: EscalationLevel): EscalationLevel | null {
  return level === 3 ? null : ((level + 1) as EscalationLevel);
}

export function escalation(data: EscalationData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const level = levelText(data.level, ctx);
  const phase = phaseLabel(data.phase, ctx);
  const deadline = ctx.dateTime(data.newDeadline);
  const next = nextLevelOf(data.level);
  return {
    subject: t.subject[data.trigger](level, data.invoiceNumber),
    greet: data.recipientName,
    blocks: compact([
      paragraph(
        data.trigger === 'deadline_missed'
          ? t.missed(
              data.caseNumber,
              phase,
              data.missedDeadline ? ctx.dateTime(data.missedDeadline) : null,
              level,
            )
          : data.trigger === 'installment_overdue'
            ? t.installment(data.caseNumber, level)
            : t.manual(data.caseNumber, data.escalatedBy ?? null, level),
      ),
      data.comment && quote(t.comment, data.comment),
      facts([
        [t.labels.customer, data.customerName],
        [t.labels.invoice, data.invoiceNumber],
        [t.labels.phase, capitalize(phase)],
        [t.labels.assignee, data.assignee],
        [t.labels.delta, data.totalDelta && ctx.money(data.totalDelta)],
        [t.labels.deadline, deadline],
      ]),
      paragraph(t.next(deadline, next === null ? null : levelText(next, ctx))),
      data.caseUrl && action(t.open, data.caseUrl),
    ]),
  };
}

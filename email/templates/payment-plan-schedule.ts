// To the customer once a payment plan is agreed: every installment with its due date and amount.
import { facts, paragraph, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { installmentsTable } from '../phrases';
import type { Locale, PaymentPlanScheduleData } from '../../domain/notifications';

interface Copy {
  subject(invoice: string): string;
  intro(total: string, installments: string): string;
  installments: { one: string; other: string };
  labels: { total: string; installments: string };
  reference(caseNumber: string, invoice: string): string;
  difficulty: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (invoice) => `Your payment plan for invoice ${invoice}`,
    intro: (total, installments) =>
      `As agreed, you can pay ${total} in ${installments}, on the dates below.`,
    installments: { one: 'installment', other: 'installments' },
    labels: { total: 'Total', installments: 'Installments' },
    reference: (caseNumber, invoice) =>
      `Please pay each installment by its due date, and quote ${caseNumber} and invoice ${invoice} as the payment reference.`,
    difficulty:
      'If you expect to miss a due date, reply to this email before it, and we will look for a solution with you.',
  },
  fr: {
    subject: (invoice) => `Votre échéancier de paiement pour la facture ${invoice}`,
    intro: (total, installments) =>
      `Comme convenu, vous pouvez régler ${total} en ${installments}, aux dates ci-dessous.`,
    installments: { one: 'échéance', other: 'échéances' },
    labels: { total: 'Total', installments: 'Échéances' },
    reference: (caseNumber, invoice) =>
      `Merci de régler chaque échéance à sa date et d’indiquer ${caseNumber} et la facture ${invoice} en référence du paiement.`,
    difficulty:
      'Si vous pensez ne pas pouvoir respecter une échéance, répondez à cet e-mail avant sa date et nous chercherons une solution avec vous.',
  },
};

export function paymentPlanSchedule(data: PaymentPlanScheduleData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const total = ctx.money(data.total);
  const count = data.installments.length;
  return {
    subject: t.subject(data.invoiceNumber),
    greet: data.contactName,
    blocks: [
      paragraph(t.intro(total, `${ctx.count(count)} ${ctx.plural(count, t.installments)}`)),
      facts([
        [t.labels.total, total],
        [t.labels.installments, ctx.count(count)],
      ]),
      installmentsTable(data.installments, ctx),
      paragraph(t.reference(data.caseNumber, data.invoiceNumber)),
      paragraph(t.difficulty),
    ],
  };
}

// To the customer: an installment of their payment plan is past due, what is still owed on it, and
// how to pay or ask for help.
import { compact, facts, paragraph, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { fromMoneyDto, toMoneyDto } from '../../domain/money';
import type { InstallmentOverdueData, Locale } from '../../domain/notifications';

interface Copy {
  subject(installment: string, installments: string, invoice: string): string;
  intro(
    installment: string,
    installments: string,
    invoice: string,
    amount: string,
    dueOn: string,
  ): string;
  partly(paid: string): string;
  unpaid: string;
  labels: {
    installment: string;
    dueOn: string;
    amount: string;
    paid: string;
    remaining: string;
  };
  of(installment: string, installments: string): string;
  ask(remaining: string, caseNumber: string, invoice: string): string;
  already: string;
  help: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (n, count, invoice) =>
      `Installment ${n} of ${count} for invoice ${invoice} is overdue`,
    intro: (n, count, invoice, amount, dueOn) =>
      `Installment ${n} of ${count} of your payment plan for invoice ${invoice}, ${amount}, was due on ${dueOn}.`,
    partly: (paid) => `We have received ${paid} of it so far.`,
    unpaid: 'We have not received it yet.',
    labels: {
      installment: 'Installment',
      dueOn: 'Due on',
      amount: 'Amount',
      paid: 'Received so far',
      remaining: 'Still due',
    },
    of: (n, count) => `${n} of ${count}`,
    ask: (remaining, caseNumber, invoice) =>
      `Please pay ${remaining} as soon as possible, quoting ${caseNumber} and invoice ${invoice} as the payment reference.`,
    already: 'If you have paid in the last few days, thank you — you can ignore this reminder.',
    help: 'If you cannot pay, reply to this email and we will look for a solution with you.',
  },
  fr: {
    subject: (n, count, invoice) =>
      `L’échéance ${n} sur ${count} de la facture ${invoice} est en retard`,
    intro: (n, count, invoice, amount, dueOn) =>
      `L’échéance ${n} sur ${count} de votre échéancier de paiement pour la facture ${invoice}, d’un montant de ${amount}, était due le ${dueOn}.`,
    partly: (paid) => `Nous en avons reçu ${paid} à ce jour.`,
    unpaid: 'Nous ne l’avons pas encore reçue.',
    labels: {
      installment: 'Échéance',
      dueOn: 'Date d’échéance',
      amount: 'Montant',
      paid: 'Déjà reçu',
      remaining: 'Reste dû',
    },
    of: (n, count) => `${n} sur ${count}`,
    ask: (remaining, caseNumber, invoice) =>
      `Merci de régler ${remaining} dès que possible en indiquant ${caseNumber} et la facture ${invoice} en référence du paiement.`,
    already: 'Si vous avez payé ces derniers jours, merci — vous pouvez ignorer ce rappel.',
    help: 'Si vous ne pouvez pas payer, répondez à cet e-mail et nous chercherons une solution avec vous.',
  },
};

export function installmentOverdue(data: InstallmentOverdueData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const n = ctx.count(data.installment);
  const count = ctx.count(data.installments);
  const amount = ctx.money(data.amount);
  const dueOn = ctx.date(data.dueOn);
  const paid = fromMoneyDto(data.paid);
  const remaining = ctx.money(
    toMoneyDto({ minor: fromMoneyDto(data.amount).minor - paid.minor, currency: paid.currency }),
  );
  return {
    subject: t.subject(n, count, data.invoiceNumber),
    greet: data.contactName,
    blocks: compact([
      paragraph(
        `${t.intro(n, count, data.invoiceNumber, amount, dueOn)} ${
          paid.minor > 0n ? t.partly(ctx.money(data.paid)) : t.unpaid
        }`,
      ),
      facts([
        [t.labels.installment, t.of(n, count)],
        [t.labels.dueOn, dueOn],
        [t.labels.amount, amount],
        [t.labels.paid, paid.minor > 0n && ctx.money(data.paid)],
        [t.labels.remaining, remaining],
      ]),
      paragraph(t.ask(remaining, data.caseNumber, data.invoiceNumber)),
      paragraph(t.already),
      paragraph(t.help),
    ]),
  };
}

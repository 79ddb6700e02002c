// To the customer at the end of monitoring: what was checked, and that the case is closed.
import { paragraph, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import type { Locale, MonitoringClosedData } from '../../domain/notifications';

interface Copy {
  subject(invoice: string): string;
  intro(invoice: string, from: string, until: string): string;
  none: string;
  clean(invoices: string): string;
  recurred(invoices: string, issues: string): string;
  invoices: { one: string; other: string };
  issues: { one: string; other: string };
  closed(caseNumber: string): string;
  later: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (invoice) => `Case closed: invoice ${invoice}`,
    intro: (invoice, from, until) =>
      `After correcting invoice ${invoice}, we checked your invoices from ${from} to ${until} to make sure the error did not happen again.`,
    none: 'No new invoices were issued to you in that period.',
    clean: (invoices) => `We checked ${invoices} and found no further error.`,
    recurred: (invoices, issues) =>
      `We checked ${invoices} and found ${issues}, which our team has followed up with you.`,
    invoices: { one: 'invoice', other: 'invoices' },
    issues: { one: 'further issue', other: 'further issues' },
    closed: (caseNumber) => `Case ${caseNumber} is now closed. Thank you for your patience.`,
    later:
      'If you notice anything wrong on a future invoice, reply to this email or contact us as usual.',
  },
  fr: {
    subject: (invoice) => `Dossier clos\u00a0: facture ${invoice}`,
    intro: (invoice, from, until) =>
      `Après la correction de la facture ${invoice}, nous avons vérifié vos factures du ${from} au ${until} pour nous assurer que l’erreur ne s’était pas reproduite.`,
    none: 'Aucune nouvelle facture ne vous a été adressée pendant cette période.',
    clean: (invoices) => `Nous avons vérifié ${invoices} et n’avons constaté aucune autre erreur.`,
    recurred: (invoices, issues) =>
      `Nous avons vérifié ${invoices} et constaté ${issues} avec vous.`,
    invoices: { one: 'facture', other: 'factures' },
    // The past participle agrees with the count, so it lives in the plural forms.
    issues: {
      one: 'nouvel écart, que notre équipe a traité',
      other: 'nouveaux écarts, que notre équipe a traités',
    },
    closed: (caseNumber) =>
      `Le dossier ${caseNumber} est maintenant clos. Merci de votre patience.`,
    later:
      'Si vous remarquez une anomalie sur une prochaine facture, répondez à cet e-mail ou contactez-nous comme d’habitude.',
  },
};

export function monitoringClosed(data: MonitoringClosedData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const counted = (n: number, forms: { one: string; other: string }): string =>
    `${ctx.count(n)} ${ctx.plural(n, forms)}`;
  const invoices = counted(data.invoicesChecked, t.invoices);
  const checked =
    data.invoicesChecked === 0
      ? t.none
      : data.recurrencesFound === 0
        ? t.clean(invoices)
        : t.recurred(invoices, counted(data.recurrencesFound, t.issues));
  return {
    subject: t.subject(data.invoiceNumber),
    greet: data.contactName,
    blocks: [
      paragraph(
        t.intro(data.invoiceNumber, ctx.date(data.monitoredFrom), ctx.date(data.monitoredUntil)),
      ),
      paragraph(checked),
      paragraph(t.closed(data.caseNumber)),
      paragraph(t.later),
    ],
  };
}

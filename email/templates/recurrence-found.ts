// To staff during monitoring: a new invoice of the customer repeats the error.
import { action, compact, facts, heading, list, paragraph, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { describeFinding } from '../phrases';
import type { Locale, RecurrenceFoundData } from '../../domain/notifications';

interface Copy {
  subject(newInvoice: string, customer: string): string;
  intro(caseNumber: string, invoice: string, newInvoice: string): string;
  found: string;
  labels: { customer: string; newInvoice: string; delta: string; until: string };
  ask: string;
  open: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (newInvoice, customer) => `Recurrence found on invoice ${newInvoice} (${customer})`,
    intro: (caseNumber, invoice, newInvoice) =>
      `While monitoring case ${caseNumber} (invoice ${invoice}), we checked new invoice ${newInvoice} and found the same kind of error again.`,
    found: 'What we found',
    labels: {
      customer: 'Customer',
      newInvoice: 'New invoice',
      delta: 'Net difference',
      until: 'Monitoring until',
    },
    ask: 'Please review the new invoice and correct it before the customer has to ask.',
    open: 'Open the case',
  },
  fr: {
    subject: (newInvoice, customer) =>
      `Récidive constatée sur la facture ${newInvoice} (${customer})`,
    intro: (caseNumber, invoice, newInvoice) =>
      `Lors de la surveillance du dossier ${caseNumber} (facture ${invoice}), nous avons vérifié la nouvelle facture ${newInvoice} et constaté à nouveau le même type d’erreur.`,
    found: 'Nos constats',
    labels: {
      customer: 'Client',
      newInvoice: 'Nouvelle facture',
      delta: 'Écart net',
      until: 'Surveillance jusqu’au',
    },
    ask: 'Merci d’examiner la nouvelle facture et de la corriger avant que le client n’ait à le demander.',
    open: 'Ouvrir le dossier',
  },
};

export function recurrenceFound(data: RecurrenceFoundData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const items = data.findings.map((finding) => describeFinding(finding, 'staff', ctx));
  return {
    subject: t.subject(data.newInvoiceNumber, data.customerName),
    greet: data.recipientName,
    blocks: compact([
      paragraph(t.intro(data.caseNumber, data.invoiceNumber, data.newInvoiceNumber)),
      items.length > 0 && heading(t.found),
      items.length > 0 && list(items),
      facts([
        [t.labels.customer, data.customerName],
        [t.labels.newInvoice, data.newInvoiceNumber],
        [t.labels.delta, ctx.money(data.totalDelta)],
        [t.labels.until, ctx.date(data.monitoringUntil)],
      ]),
      paragraph(t.ask),
      data.caseUrl && action(t.open, data.caseUrl),
    ]),
  };
}

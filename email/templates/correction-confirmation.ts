// To the customer once the ledger is adjusted: each document issued, with its number and amount.
import { compact, facts, heading, paragraph, type Block, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import type {
  CorrectionConfirmationData,
  CorrectionDocument,
  Locale,
} from '../../domain/notifications';

type DocumentType = CorrectionDocument['type'];

interface Copy {
  subject(invoice: string): string;
  intro(invoice: string): string;
  title: Record<DocumentType, (number: string) => string>;
  labels: {
    amount: string;
    newTotal: string;
    issuedOn: string;
    appliesTo: string;
    replaces: string;
    dueOn: string;
    reference: string;
  };
  creditNote(amount: string, invoice: string): string;
  correctedInvoice(number: string, replaces: string): string;
  debitNote(amount: string, dueOn: string): string;
  refund(amount: string): string;
  monitoring(until: string): string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (invoice) => `Invoice ${invoice} has been corrected`,
    intro: (invoice) =>
      `We have corrected invoice ${invoice} as agreed. The documents we issued are listed below.`,
    title: {
      credit_note: (number) => `Credit note ${number}`,
      corrected_invoice: (number) => `Corrected invoice ${number}`,
      debit_note: (number) => `Debit note ${number}`,
      refund: () => 'Refund',
    },
    labels: {
      amount: 'Amount',
      newTotal: 'New total',
      issuedOn: 'Issued on',
      appliesTo: 'Applies to invoice',
      replaces: 'Replaces invoice',
      dueOn: 'Due on',
      reference: 'Payment reference',
    },
    creditNote: (amount, invoice) =>
      `This credit of ${amount} reduces what you owe on invoice ${invoice}.`,
    correctedInvoice: (number, replaces) =>
      `Invoice ${replaces} is cancelled. Please pay corrected invoice ${number} instead.`,
    debitNote: (amount, dueOn) => `Please pay ${amount} by ${dueOn}.`,
    refund: (amount) =>
      `We have sent you ${amount}; it should reach your account within a few business days.`,
    monitoring: (until) =>
      `We will check your invoices until ${until} to make sure this error does not happen again.`,
  },
  fr: {
    subject: (invoice) => `La facture ${invoice} a été corrigée`,
    intro: (invoice) =>
      `Nous avons corrigé la facture ${invoice} comme convenu. Vous trouverez ci-dessous les documents émis.`,
    title: {
      credit_note: (number) => `Avoir ${number}`,
      corrected_invoice: (number) => `Facture rectificative ${number}`,
      debit_note: (number) => `Note de débit ${number}`,
      refund: () => 'Remboursement',
    },
    labels: {
      amount: 'Montant',
      newTotal: 'Nouveau total',
      issuedOn: 'Émis le',
      appliesTo: 'Facture concernée',
      replaces: 'Remplace la facture',
      dueOn: 'Échéance',
      reference: 'Référence du paiement',
    },
    creditNote: (amount, invoice) =>
      `Cet avoir de ${amount} réduit le montant dû sur la facture ${invoice}.`,
    correctedInvoice: (number, replaces) =>
      `La facture ${replaces} est annulée. Merci de régler la facture rectificative ${number} à la place.`,
    debitNote: (amount, dueOn) => `Merci de régler ${amount} avant le ${dueOn}.`,
    refund: (amount) =>
      `Nous vous avons versé ${amount}\u00a0; le montant devrait apparaître sur votre compte sous quelques jours ouvrés.`,
    monitoring: (until) =>
      `Nous surveillerons vos factures jusqu’au ${until} pour nous assurer que cette erreur ne se reproduit pas.`,
  },
};

function documentBlocks(doc: CorrectionDocument, t: Copy, ctx: RenderContext): Block[] {
  const amount = ctx.money(doc.amount);
  const issuedOn = ctx.date(doc.issuedOn);
  const title = heading(t.title[doc.type](doc.number));
  switch (doc.type) {
    case 'credit_note':
      return [
        title,
        facts([
          [t.labels.amount, amount],
          [t.labels.issuedOn, issuedOn],
          [t.labels.appliesTo, doc.appliesTo],
        ]),
        paragraph(t.creditNote(amount, doc.appliesTo)),
      ];
    case 'corrected_invoice':
      return [
        title,
        facts([
          [t.labels.newTotal, amount],
          [t.labels.issuedOn, issuedOn],
          [t.labels.replaces, doc.replaces],
          [t.labels.dueOn, doc.dueOn && ctx.date(doc.dueOn)],
        ]),
        paragraph(t.correctedInvoice(doc.number, doc.replaces)),
      ];
    case 'debit_note': {
      const dueOn = ctx.date(doc.dueOn);
      return [
        title,
        facts([
          [t.labels.amount, amount],
          [t.labels.issuedOn, issuedOn],
          [t.labels.dueOn, dueOn],
        ]),
        paragraph(t.debitNote(amount, dueOn)),
      ];
    }
    case 'refund':
      return [
        title,
        facts([
          [t.labels.amount, amount],
          [t.labels.issuedOn, issuedOn],
          [t.labels.reference, doc.number],
        ]),
        paragraph(t.refund(amount)),
      ];
  }
}

export function correctionConfirmation(
  data: CorrectionConfirmationData,
  ctx: RenderContext,
): Draft {
  const t = ctx.pick(COPY);
  return {
    subject: t.subject(data.invoiceNumber),
    greet: data.contactName,
    blocks: compact([
      paragraph(t.intro(data.invoiceNumber)),
      ...data.documents.flatMap((doc) => documentBlocks(doc, t, ctx)),
      data.monitoringUntil && paragraph(t.monitoring(ctx.date(data.monitoringUntil))),
    ]),
  };
}

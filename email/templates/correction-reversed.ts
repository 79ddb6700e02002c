// To the customer when a posted correction was wrong: the documents reversed, by which reversing
// documents and why, and that a new proposal follows.
import { paragraph, quote, table, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import type {
  CorrectionDocument,
  CorrectionReversedData,
  Locale,
} from '../../domain/notifications';

type DocumentType = CorrectionDocument['type'];

interface Copy {
  subject(invoice: string): string;
  intro(invoice: string): string;
  reason: string;
  columns: readonly [document: string, amount: string, reversedBy: string];
  title: Record<DocumentType, (number: string) => string>;
  replaced(replacement: string, original: string): string;
  effect: string;
  next: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (invoice) => `We have reversed the correction of invoice ${invoice}`,
    intro: (invoice) =>
      `The correction we made to invoice ${invoice} was wrong, so we have reversed it. Each document below is cancelled by a reversing document; nothing is deleted from your account’s history.`,
    reason: 'Why:',
    columns: ['Document', 'Amount', 'Reversed by'],
    title: {
      credit_note: (number) => `Credit note ${number}`,
      corrected_invoice: (number) => `Corrected invoice ${number}`,
      debit_note: (number) => `Debit note ${number}`,
      refund: (number) => `Refund ${number}`,
    },
    replaced: (replacement, original) =>
      `Corrected invoice ${replacement} is cancelled, and invoice ${original} applies again as it was issued.`,
    effect: 'What you owe on the invoice is again what it was before this correction.',
    next: 'We will come back to you shortly with a new proposal. If you have any question, reply to this email.',
  },
  fr: {
    subject: (invoice) => `Nous avons annulé la correction de la facture ${invoice}`,
    intro: (invoice) =>
      `La correction que nous avons apportée à la facture ${invoice} était erronée\u00a0; nous l’avons donc annulée. Chaque document ci-dessous est annulé par un document d’annulation\u00a0; rien n’est effacé de l’historique de votre compte.`,
    reason: 'Motif\u00a0:',
    columns: ['Document', 'Montant', 'Annulé par'],
    title: {
      credit_note: (number) => `Avoir ${number}`,
      corrected_invoice: (number) => `Facture rectificative ${number}`,
      debit_note: (number) => `Note de débit ${number}`,
      refund: (number) => `Remboursement ${number}`,
    },
    replaced: (replacement, original) =>
      `La facture rectificative ${replacement} est annulée et la facture ${original} s’applique de nouveau telle qu’émise.`,
    effect: 'Le montant dû sur la facture redevient celui d’avant cette correction.',
    next: 'Nous reviendrons vers vous rapidement avec une nouvelle proposition. Pour toute question, répondez à cet e-mail.',
  },
};

export function correctionReversed(data: CorrectionReversedData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const [document, amount, reversedBy] = t.columns;
  const replacements = data.reversed.flatMap((doc) =>
    doc.type === 'corrected_invoice' ? [paragraph(t.replaced(doc.number, doc.replaces))] : [],
  );
  return {
    subject: t.subject(data.invoiceNumber),
    greet: data.contactName,
    blocks: [
      paragraph(t.intro(data.invoiceNumber)),
      quote(t.reason, data.reason),
      table(
        [
          { label: document, align: 'left' },
          { label: amount, align: 'right' },
          { label: reversedBy, align: 'left' },
        ],
        data.reversed.map((doc, i) => [
          t.title[doc.type](doc.number),
          ctx.money(doc.amount),
          data.reversals[i] ?? '',
        ]),
      ),
      ...replacements,
      paragraph(t.effect),
      paragraph(t.next),
    ],
  };
}

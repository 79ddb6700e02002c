// To the customer when the investigation ends: each finding in plain words, with amounts.
import { compact, facts, heading, list, paragraph, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import { describeFinding } from '../phrases';
import type { FindingsData, Locale } from '../../domain/notifications';

type Verdict = FindingsData['verdict'];

interface Copy {
  subject: Record<Verdict, (invoice: string) => string>;
  intro: Record<Verdict, (invoice: string, total: string) => string>;
  found: string;
  total: Record<Exclude<Verdict, 'no_discrepancy'>, string>;
  proposal(by: string | null): string;
  explanation: string;
  questions: string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: {
      overcharged: (invoice) => `We found a billing error on invoice ${invoice}`,
      undercharged: (invoice) => `We found an undercharge on invoice ${invoice}`,
      no_discrepancy: (invoice) => `Invoice ${invoice} was billed correctly`,
    },
    intro: {
      overcharged: (invoice, total) =>
        `We have finished reviewing invoice ${invoice}. You were right: we billed you ${total} too much.`,
      undercharged: (invoice, total) =>
        `We have finished reviewing invoice ${invoice}. We found that it was billed ${total} lower than it should have been.`,
      no_discrepancy: (invoice) =>
        `We have finished reviewing invoice ${invoice} against your contract, your purchase orders and the delivery records, and found no billing error.`,
    },
    found: 'What we found',
    total: { overcharged: 'Total overcharged', undercharged: 'Total undercharged' },
    proposal: (by) =>
      by
        ? `We will send you our proposal to settle this by ${by}.`
        : 'We will send you our proposal to settle this shortly.',
    explanation: 'We will send you a separate explanation of how the invoice was calculated.',
    questions: 'If anything here does not match your records, reply to this email and tell us.',
  },
  fr: {
    subject: {
      overcharged: (invoice) =>
        `Nous avons constaté une erreur de facturation sur la facture ${invoice}`,
      undercharged: (invoice) =>
        `Nous avons constaté une sous-facturation sur la facture ${invoice}`,
      no_discrepancy: (invoice) => `La facture ${invoice} est correcte`,
    },
    intro: {
      overcharged: (invoice, total) =>
        `Nous avons terminé l’examen de la facture ${invoice}. Vous aviez raison\u00a0: nous vous avons facturé ${total} de trop.`,
      undercharged: (invoice, total) =>
        `Nous avons terminé l’examen de la facture ${invoice}. Elle a été établie ${total} en dessous du montant dû.`,
      no_discrepancy: (invoice) =>
        `Nous avons vérifié la facture ${invoice} par rapport à votre contrat, à vos bons de commande et aux livraisons, et n’avons constaté aucune erreur de facturation.`,
    },
    found: 'Nos constats',
    total: { overcharged: 'Total surfacturé', undercharged: 'Total sous-facturé' },
    proposal: (by) =>
      by
        ? `Nous vous enverrons notre proposition de règlement d’ici le ${by}.`
        : 'Nous vous enverrons prochainement notre proposition de règlement.',
    explanation: 'Nous vous expliquons séparément comment la facture a été calculée.',
    questions:
      'Si un élément ne correspond pas à vos propres documents, répondez à cet e-mail pour nous le signaler.',
  },
};

export function findings(data: FindingsData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const total = ctx.magnitude(data.totalDelta);
  const items = data.findings.map((finding) => describeFinding(finding, 'customer', ctx));
  const settled = data.verdict === 'no_discrepancy';
  return {
    subject: t.subject[data.verdict](data.invoiceNumber),
    greet: data.contactName,
    blocks: compact([
      paragraph(t.intro[data.verdict](data.invoiceNumber, total)),
      items.length > 0 && heading(t.found),
      items.length > 0 && list(items),
      data.verdict !== 'no_discrepancy' && facts([[t.total[data.verdict], total]]),
      paragraph(
        settled
          ? t.explanation
          : t.proposal(data.proposalBy ? ctx.dateTime(data.proposalBy) : null),
      ),
      paragraph(t.questions),
    ]),
  };
}

// To the customer when the invoice was right: the billing policy, and any contract clause giving a discount.
import { compact, heading, list, paragraph, quote, type Draft } from '../blocks';
import type { RenderContext } from '../context';
import type { DiscountClause, Locale, NoErrorExplanationData } from '../../domain/notifications';

interface Copy {
  subject(invoice: string): string;
  intro(invoice: string): string;
  discountRequest: string;
  policy: string;
  /** The billing policy itself: prices and discounts of the contract in force on the invoice date. */
  policyText: string;
  note: string;
  clauses: string;
  clausesIntro: string;
  clause(clause: DiscountClause): string;
  clausesHow: string;
  noClauses: string;
  closing(caseNumber: string): string;
}

const COPY: Record<Locale, Copy> = {
  en: {
    subject: (invoice) => `Our review of invoice ${invoice}: no billing error found`,
    intro: (invoice) =>
      `We have reviewed invoice ${invoice} against your contract, your purchase orders and our delivery records. It was billed correctly.`,
    discountRequest:
      'You asked for a discount on this invoice. Because the invoice is correct, this is not a billing error, and we cannot change the invoice itself.',
    policy: 'Our billing policy',
    policyText:
      'We bill the prices and discounts of your contract in force on the invoice date. Discounts apply to invoices issued while their conditions are met; they are not applied retroactively unless the contract says so.',
    note: 'A note from our billing team:',
    clauses: 'Contract terms that may give you a discount',
    clausesIntro: 'Your contract contains terms that may entitle you to a discount:',
    clause: (clause) => `Clause ${clause.reference}: ${clause.summary}`,
    clausesHow: 'If you want to use one of them, reply to this email and we will help you.',
    noClauses: 'We found no term in your contract that gives a discount on past invoices.',
    closing: (caseNumber) =>
      `We are closing case ${caseNumber}. If you have documents we have not seen, reply to this email and we will look at them.`,
  },
  fr: {
    subject: (invoice) => `Examen de la facture ${invoice}\u00a0: aucune erreur de facturation`,
    intro: (invoice) =>
      `Nous avons vérifié la facture ${invoice} par rapport à votre contrat, à vos bons de commande et à nos bons de livraison. Elle a été correctement établie.`,
    discountRequest:
      'Vous avez demandé une remise sur cette facture. La facture étant correcte, il ne s’agit pas d’une erreur de facturation et nous ne pouvons pas modifier la facture elle-même.',
    policy: 'Notre politique de facturation',
    policyText:
      'Nous facturons les prix et remises de votre contrat en vigueur à la date de la facture. Les remises s’appliquent aux factures émises tant que leurs conditions sont remplies ; elles ne sont pas rétroactives sauf si le contrat le prévoit.',
    note: 'Un mot de notre service facturation\u00a0:',
    clauses: 'Clauses du contrat pouvant vous donner droit à une remise',
    clausesIntro:
      'Votre contrat contient des clauses qui peuvent vous donner droit à une remise\u00a0:',
    clause: (clause) => `Clause ${clause.reference}\u00a0: ${clause.summary}`,
    clausesHow:
      'Si vous souhaitez en bénéficier, répondez à cet e-mail et nous vous accompagnerons.',
    noClauses:
      'Nous n’avons trouvé dans votre contrat aucune clause accordant une remise sur des factures passées.',
    closing: (caseNumber) =>
      `Nous clôturons le dossier ${caseNumber}. Si vous disposez de documents que nous n’avons pas vus, répondez à cet e-mail et nous les examinerons.`,
  },
};

export function noErrorExplanation(data: NoErrorExplanationData, ctx: RenderContext): Draft {
  const t = ctx.pick(COPY);
  const hasClauses = data.discountClauses.length > 0;
  return {
    subject: t.subject(data.invoiceNumber),
    greet: data.contactName,
    blocks: compact([
      paragraph(t.intro(data.invoiceNumber)),
      data.reason === 'discount_request' && paragraph(t.discountRequest),
      heading(t.policy),
      paragraph(t.policyText),
      data.explanation && quote(t.note, data.explanation),
      heading(t.clauses),
      paragraph(hasClauses ? t.clausesIntro : t.noClauses),
      hasClauses && list(data.discountClauses.map((clause) => t.clause(clause))),
      hasClauses && paragraph(t.clausesHow),
      paragraph(t.closing(data.caseNumber)),
    ]),
  };
}

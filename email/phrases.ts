// Words shared by several templates: reasons, phases, remedies, escalation levels, findings, proposals.
import type { Phase, Reason } from '../domain/dispute';
import { findingValueKind } from '../domain/investigation';
import { table, type Block } from './blocks';
import type { RenderContext } from './context';
import type {
  Audience,
  EmailFinding,
  EscalationLevel,
  Installment,
  Locale,
  Proposal,
  Remedy,
} from '../domain/notifications';

const REASONS: Record<Locale, Record<Reason, string>> = {
  en: {
    pricing_error: 'price differs from the agreed price',
    quantity_mismatch: 'quantity billed differs from the quantity ordered or delivered',
    double_billing: 'billed twice',
    discount_not_applied: 'discount not applied',
    tax_error: 'tax error',
    billing_details: 'wrong billing details',
    undercharge: 'amount billed too low',
    service_not_rendered: 'service not delivered',
    discount_request: 'discount request',
    other: 'other',
  },
  fr: {
    pricing_error: 'prix différent du prix convenu',
    quantity_mismatch: 'quantité facturée différente de la quantité commandée ou livrée',
    double_billing: 'facturé deux fois',
    discount_not_applied: 'remise non appliquée',
    tax_error: 'erreur de taxe',
    billing_details: 'coordonnées de facturation erronées',
    undercharge: 'montant facturé trop bas',
    service_not_rendered: 'prestation non réalisée',
    discount_request: 'demande de remise',
    other: 'autre',
  },
};

const PHASES: Record<Locale, Record<Phase, string>> = {
  en: {
    acknowledging: 'acknowledging',
    investigating: 'investigating',
    awaiting_review: 'awaiting review of the findings',
    awaiting_decision: 'awaiting a decision',
    awaiting_approval: 'awaiting approval',
    awaiting_customer: 'awaiting the customer’s answer',
    mediation: 'mediation',
    correcting: 'correcting',
    monitoring: 'monitoring',
    closed: 'closed',
  },
  fr: {
    acknowledging: 'accusé de réception',
    investigating: 'analyse',
    awaiting_review: 'revue des constats en attente',
    awaiting_decision: 'décision en attente',
    awaiting_approval: 'approbation en attente',
    awaiting_customer: 'réponse du client en attente',
    mediation: 'médiation',
    correcting: 'correction',
    monitoring: 'surveillance',
    closed: 'clos',
  },
};

const REMEDIES: Record<Locale, Record<Remedy, string>> = {
  en: {
    credit_note: 'credit note',
    refund: 'refund',
    corrected_invoice: 'corrected invoice',
    debit_note: 'debit note',
    payment_plan: 'payment plan',
    write_off: 'write-off',
  },
  fr: {
    credit_note: 'avoir',
    refund: 'remboursement',
    corrected_invoice: 'facture rectificative',
    debit_note: 'note de débit',
    payment_plan: 'échéancier de paiement',
    write_off: 'abandon de créance',
  },
};

const LEVELS: Record<Locale, Record<EscalationLevel, string>> = {
  en: { 0: 'agent', 1: 'team lead', 2: 'billing manager', 3: 'finance director / legal' },
  fr: {
    0: 'agent',
    1: 'chef d’équipe',
    2: 'responsable facturation',
    3: 'directeur financier / service juridique',
  },
};

// Keys follow domain/investigation's rule names; an unknown rule still reads as a plain discrepancy.
const RULES: Record<Locale, Readonly<Record<string, string>>> = {
  en: {
    arithmetic: 'A line or invoice total was calculated incorrectly',
    quantity: 'The quantity billed differs from the quantity ordered or delivered',
    double_billing: 'The same item was billed more than once',
    pricing: 'The unit price billed differs from the contract price',
    discount: 'A discount or promotion was not applied',
    retroactive_discount: 'A contract discount applies to this invoice retroactively',
    tax: 'The wrong tax rate was applied',
    unbilled: 'Items that were delivered were not billed',
    billing_details: 'The billing details (address or contact) are wrong',
    payment_misapplied: 'A payment was applied to the wrong invoice',
    already_corrected: 'Part of this was already corrected by documents we issued earlier',
  },
  fr: {
    arithmetic: 'Un total de ligne ou de facture a été mal calculé',
    quantity: 'La quantité facturée diffère de la quantité commandée ou livrée',
    double_billing: 'Le même article a été facturé plusieurs fois',
    pricing: 'Le prix unitaire facturé diffère du prix du contrat',
    discount: 'Une remise ou une promotion n’a pas été appliquée',
    retroactive_discount: 'Une remise prévue au contrat s’applique rétroactivement à cette facture',
    tax: 'Le mauvais taux de taxe a été appliqué',
    unbilled: 'Des articles livrés n’ont pas été facturés',
    billing_details: 'Les coordonnées de facturation (adresse ou contact) sont erronées',
    payment_misapplied: 'Un paiement a été affecté à la mauvaise facture',
    already_corrected: 'Une partie a déjà été corrigée par des documents émis précédemment',
  },
};

const OTHER_RULE: Record<Locale, string> = {
  en: 'The invoice differs from our records',
  fr: 'La facture diffère de nos enregistrements',
};

export function reasonLabel(reason: Reason, ctx: RenderContext): string {
  return ctx.pick(REASONS)[reason];
}

export function phaseLabel(phase: Phase, ctx: RenderContext): string {
  return ctx.pick(PHASES)[phase];
}

export function remedyLabel(remedy: Remedy, ctx: RenderContext): string {
  return ctx.pick(REMEDIES)[remedy];
}

export function levelLabel(level: EscalationLevel, ctx: RenderContext): string {
  return ctx.pick(LEVELS)[level];
}

/** "credit note of $400.00" / "avoir de 400,00 $US". */
export function proposalSummary(proposal: Proposal, ctx: RenderContext): string {
  const label = remedyLabel(proposal.remedy, ctx);
  const amount = ctx.money(proposal.amount);
  return ctx.locale === 'fr' ? `${label} de ${amount}` : `${label} of ${amount}`;
}

interface FindingCopy {
  /** already_corrected: the documents, and the amount they already credited or billed. */
  corrected(invoice: string, documents: string | null): string;
  correctedEffect: Record<Audience, Record<'credited' | 'billed', (amount: string) => string>>;
  where(invoice: string, line: string | null): string;
  values(expected: string | null, actual: string | null): string;
  line(where: string, values: string): string;
  effect: Record<Audience, Record<'over' | 'under' | 'none', (amount: string) => string>>;
}

const FINDING: Record<Locale, FindingCopy> = {
  en: {
    corrected: (invoice, documents) =>
      documents ? `Invoice ${invoice}: already corrected by ${documents}.` : `Invoice ${invoice}.`,
    correctedEffect: {
      customer: {
        credited: (amount) => `${amount} of it was already credited to you.`,
        billed: (amount) => `${amount} of it was already billed to you.`,
      },
      staff: {
        credited: (amount) => `Already credited: ${amount}.`,
        billed: (amount) => `Already billed: ${amount}.`,
      },
    },
    where: (invoice, line) => (line ? `Invoice ${invoice}, line ${line}` : `Invoice ${invoice}`),
    values: (expected, actual) =>
      [expected && `expected ${expected}`, actual && `billed ${actual}`].filter(Boolean).join(', '),
    line: (where, values) => (values ? `${where}: ${values}.` : `${where}.`),
    effect: {
      customer: {
        over: (amount) => `You were overcharged by ${amount}.`,
        under: (amount) => `You were undercharged by ${amount}.`,
        none: () => 'This does not change the amount due.',
      },
      staff: {
        over: (amount) => `Customer overcharged by ${amount}.`,
        under: (amount) => `Customer undercharged by ${amount}.`,
        none: () => 'No money difference.',
      },
    },
  },
  fr: {
    corrected: (invoice, documents) =>
      documents
        ? `Facture ${invoice}\u00a0: déjà corrigée par ${documents}.`
        : `Facture ${invoice}.`,
    correctedEffect: {
      customer: {
        credited: (amount) => `${amount} vous ont déjà été crédités.`,
        billed: (amount) => `${amount} vous ont déjà été facturés.`,
      },
      staff: {
        credited: (amount) => `Déjà crédité\u00a0: ${amount}.`,
        billed: (amount) => `Déjà facturé\u00a0: ${amount}.`,
      },
    },
    where: (invoice, line) => (line ? `Facture ${invoice}, ligne ${line}` : `Facture ${invoice}`),
    values: (expected, actual) =>
      [expected && `attendu ${expected}`, actual && `facturé ${actual}`].filter(Boolean).join(', '),
    line: (where, values) => (values ? `${where}\u00a0: ${values}.` : `${where}.`),
    effect: {
      customer: {
        over: (amount) => `Vous avez été surfacturé de ${amount}.`,
        under: (amount) => `Vous avez été sous-facturé de ${amount}.`,
        none: () => 'Cela ne change pas le montant dû.',
      },
      staff: {
        over: (amount) => `Client surfacturé de ${amount}.`,
        under: (amount) => `Client sous-facturé de ${amount}.`,
        none: () => 'Aucun écart en argent.',
      },
    },
  },
};

/** One finding in plain words: what is wrong, where, the two values, and what it means in money. */
export function describeFinding(
  finding: EmailFinding,
  audience: Audience,
  ctx: RenderContext,
): string {
  const copy = ctx.pick(FINDING);
  const rules = ctx.pick(RULES);
  const what =
    (Object.hasOwn(rules, finding.rule) ? rules[finding.rule] : undefined) ?? ctx.pick(OTHER_RULE);
  // −C: negative when earlier documents credited the customer, positive when they billed more.
  if (finding.rule === 'already_corrected') {
    const done = ctx.sign(finding.delta) < 0 ? 'credited' : 'billed';
    const effect = copy.correctedEffect[audience][done](ctx.magnitude(finding.delta));
    return `${what}.\n${copy.corrected(finding.invoiceId, finding.actual)} ${effect}`;
  }
  const kind = findingValueKind(finding.rule);
  const value = (text: string | null): string | null =>
    text === null ? null : ctx.value(text, kind, finding.delta.currency);
  const line = copy.line(
    copy.where(finding.invoiceId, finding.lineId),
    copy.values(value(finding.expected), value(finding.actual)),
  );
  const sign = ctx.sign(finding.delta);
  const effect = copy.effect[audience][sign > 0 ? 'over' : sign < 0 ? 'under' : 'none'](
    ctx.magnitude(finding.delta),
  );
  return `${what}.\n${line} ${effect}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** "2 (billing manager)" / "2 (responsable facturation)". */
export function levelText(level: EscalationLevel, ctx: RenderContext): string {
  return `${ctx.count(level)} (${levelLabel(level, ctx)})`;
}

const INSTALLMENT_COLUMNS: Record<Locale, readonly [string, string, string]> = {
  en: ['#', 'Due date', 'Amount'],
  fr: ['N°', 'Échéance', 'Montant'],
};

export function installmentsTable(installments: readonly Installment[], ctx: RenderContext): Block {
  const [number, due, amount] = ctx.pick(INSTALLMENT_COLUMNS);
  return table(
    [
      { label: number, align: 'right' },
      { label: due, align: 'left' },
      { label: amount, align: 'right' },
    ],
    installments.map((installment, i) => [
      ctx.count(i + 1),
      ctx.date(installment.dueOn),
      ctx.money(installment.amount),
    ]),
  );
}

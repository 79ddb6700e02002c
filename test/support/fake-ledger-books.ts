// The fake ledger's books: invoices and their payments, the disputes about them, and every
// document posted (corrections and reversals), numbered by prefix the way the real sequences are;
// payments settle plan installments the way the real ledger matches them.
import type { LedgerLine } from '../../domain/ledger/accounts';
import {
  CorrectionError,
  formatDocumentNumber,
  type AdjustmentDto,
} from '../../domain/ledger/correction';
import type { DisputeFacts } from '../../domain/ledger/correction-checks';
import type { PostedCorrection } from '../../domain/ledger/correction-effect';
import {
  matchInstallments,
  paidTowardPlans,
  type PlanInstallment,
} from '../../domain/ledger/installment-matching';
import type { PostedDocument } from '../../domain/ledger/reversal-plan';
import { fromMoneyDto, money, toMoneyDto, type MoneyDto } from '../../domain/money';

/** An invoice as the billing records hold it. */
export interface LedgerInvoice {
  id: string;
  customerId: string;
  currency: string;
  /** The invoice's own tax rate, and the customer's current one (e.g. "0.2"). */
  taxRate: string;
  customerTaxRate: string;
  subtotal: bigint;
  tax: bigint;
  total: bigint;
  /** Payments recorded on it, in minor units. */
  payments: bigint[];
  /** The corrected invoice (or its reversal) that voided it. */
  voidedBy: string | null;
  /** The invoice a corrected invoice replaces. */
  replaces: string | null;
}

export interface Installment extends PlanInstallment {
  number: number;
}

/** A posted document: a correction's, or the reversal of one. */
export interface LedgerDocument {
  id: string;
  disputeId: string;
  /** The idempotency key (adjustmentKey or reversalKey). */
  key: string;
  posted: PostedCorrection;
  tax: bigint;
  currency: string;
  lines: readonly LedgerLine[];
  details: Record<string, unknown>;
  createdAt: string;
  installments: Installment[] | null;
  reversedBy: string | null;
}

export const missing = (what: string): CorrectionError =>
  new CorrectionError('MissingRecord', `${what} is not in the database`);

export function toAdjustmentDto(doc: LedgerDocument): AdjustmentDto {
  const dto: AdjustmentDto = {
    id: doc.id,
    kind: doc.posted.kind,
    documentNumber: doc.posted.documentNumber,
    amount: toMoneyDto(money(doc.posted.amount, doc.currency)),
    tax: toMoneyDto(money(doc.tax, doc.currency)),
    createdAt: doc.createdAt,
    details: doc.details,
  };
  if (doc.installments)
    dto.installments = doc.installments.map((i) => ({
      number: i.number,
      dueAt: i.dueAt,
      amount: toMoneyDto(money(i.amount, doc.currency)),
      status: i.status,
    }));
  return dto;
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let k = 0; k < a.length; k += 1) if (a[k] !== b[k]) return a[k]! < b[k]! ? -1 : 1;
  return 0;
}

export class LedgerBooks {
  readonly invoices = new Map<string, LedgerInvoice>();
  readonly disputes = new Map<string, DisputeFacts>();
  /** Every document posted, oldest first. */
  readonly documents: LedgerDocument[] = [];
  private readonly sequences = new Map<string, number>();

  /** Records an imported invoice, tax free and paid in full unless the test says otherwise. */
  addInvoice(
    invoice: Pick<LedgerInvoice, 'id' | 'customerId' | 'currency'> & Partial<LedgerInvoice>,
  ): void {
    const total = invoice.total ?? 1_000_000n;
    this.invoices.set(invoice.id, {
      taxRate: '0',
      customerTaxRate: '0',
      subtotal: total,
      tax: 0n,
      total,
      payments: [total],
      voidedBy: null,
      replaces: null,
      ...invoice,
    });
  }

  addDispute(dispute: DisputeFacts): void {
    this.disputes.set(dispute.id, dispute);
  }

  /** Records a payment on an invoice: it settles the invoice first, then its plans' installments. */
  pay(invoiceId: string, amount: MoneyDto): void {
    this.invoice(invoiceId).payments.push(fromMoneyDto(amount).minor);
    this.settle(invoiceId);
  }

  invoice(id: string): LedgerInvoice {
    const invoice = this.invoices.get(id);
    if (!invoice) throw missing(`invoice ${id}`);
    return invoice;
  }

  dispute(id: string): DisputeFacts {
    const dispute = this.disputes.get(id);
    if (!dispute) throw missing(`dispute ${id}`);
    return dispute;
  }

  /** The invoice and its corrected invoices, whichever of them a dispute is about. */
  family(invoiceId: string): string[] {
    let root = invoiceId;
    while (this.invoices.get(root)?.replaces) root = this.invoices.get(root)!.replaces!;
    const ids = [root];
    for (let i = 0; i < ids.length; i += 1)
      for (const invoice of this.invoices.values())
        if (invoice.replaces === ids[i]) ids.push(invoice.id);
    return ids;
  }

  /** The documents posted by disputes on these invoices, oldest first. */
  postedOn(invoiceIds: readonly string[]): PostedCorrection[] {
    return this.documents
      .filter((d) => invoiceIds.includes(this.disputes.get(d.disputeId)?.invoiceId ?? ''))
      .map((d) => d.posted);
  }

  nextNumber(prefix: string): string {
    const next = (this.sequences.get(prefix) ?? 0) + 1;
    this.sequences.set(prefix, next);
    return formatDocumentNumber(prefix, next);
  }

  /** A document as reversal plans read it. */
  toPostedDocument(doc: LedgerDocument): PostedDocument {
    return {
      id: doc.id,
      disputeId: doc.disputeId,
      customerId: this.disputes.get(doc.disputeId)?.customerId ?? '',
      kind: doc.posted.kind,
      documentNumber: doc.posted.documentNumber,
      amount: doc.posted.amount,
      tax: doc.tax,
      currency: doc.currency,
      lines: doc.lines,
      reversedBy: doc.reversedBy,
    };
  }

  /**
   * Spreads what the invoice's payments leave after everything else it bills over its plans'
   * live installments, the earliest due first (as imports and postings do in the real ledger).
   */
  settle(invoiceId: string): void {
    const invoice = this.invoice(invoiceId);
    const plans = this.documents.filter(
      (d) =>
        d.posted.kind === 'payment_plan' && this.disputes.get(d.disputeId)?.invoiceId === invoiceId,
    );
    const installments = plans
      .flatMap((p) =>
        (p.installments ?? []).map((i) => ({
          i,
          order: [i.dueAt, p.createdAt, p.posted.documentNumber],
        })),
      )
      .sort((a, b) => compareKeys(a.order, b.order) || a.i.number - b.i.number)
      .map(({ i }) => i);
    const available = paidTowardPlans(invoice.total, invoice.payments, this.postedOn([invoiceId]));
    const byId = new Map(installments.map((i) => [i.id, i]));
    for (const change of matchInstallments(available, installments)) {
      const installment = byId.get(change.id)!;
      installment.paid = change.paid;
      installment.status = change.status;
    }
  }
}

// In-memory books for the property tests: the same domain functions the activities use (revise a
// document, plan a correction), applied to arrays instead of tables.
import {
  adjustmentKey,
  CorrectionError,
  DOCUMENT_PREFIXES,
  documentsOf,
  formatDocumentNumber,
  type CorrectionRequest,
} from '../../domain/ledger/correction';
import { invoiceBalance } from '../../domain/ledger/correction-checks';
import { planCorrection } from '../../domain/ledger/correction-plan';
import { draftPosting } from '../../domain/ledger/accounts';
import {
  invoiceDocument,
  paymentDocument,
  reviseDocument,
  type KeyedPosting,
} from '../../domain/ledger/documents';
import type {
  LedgerSnapshot,
  SnapshotAdjustment,
  SnapshotInvoice,
  SnapshotPayment,
  SnapshotPosting,
} from '../../domain/ledger/invariants';
import { invoiceLines, paymentLines } from '../../domain/ledger/postings';
import { fromMoneyDto } from '../../domain/money';

export interface ModelInvoice extends SnapshotInvoice {
  subtotal: bigint;
  taxRate: string;
}

export interface ModelCustomer {
  id: string;
  taxRate: string;
}

export type CorrectionOutcome = { posted: string[] } | { refused: string };

export class Books {
  readonly postings: SnapshotPosting[] = [];
  readonly invoices = new Map<string, ModelInvoice>();
  readonly payments = new Map<string, SnapshotPayment & { invoiceId: string }>();
  readonly adjustments: (SnapshotAdjustment & { key: string; invoiceId: string })[] = [];
  private readonly sequences = new Map<string, number>();

  constructor(private readonly customers: readonly ModelCustomer[]) {}

  private write(posting: KeyedPosting): void {
    if (this.postings.some((p) => p.key === posting.key))
      throw new Error(`duplicate key ${posting.key}`);
    this.postings.push({
      id: `P${this.postings.length + 1}`,
      key: posting.key,
      lines: posting.lines.map((l) => ({
        ...l,
        customerId: posting.customerId,
        currency: posting.currency,
      })),
    });
  }

  private book(document: string, wanted: ReturnType<typeof draftPosting> | null): void {
    const existing = this.postings.filter(
      (p) => p.key === document || p.key.startsWith(`${document}#`),
    );
    for (const posting of reviseDocument(document, existing, wanted)) this.write(posting);
  }

  importInvoice(invoice: Omit<ModelInvoice, 'voided' | 'fromCorrection'>): void {
    const previous = this.invoices.get(invoice.id);
    const voided = previous?.voided ?? false;
    this.invoices.set(invoice.id, { ...invoice, voided, fromCorrection: false });
    if (voided) return;
    const lines = invoiceLines(invoice);
    const wanted = lines.some((l) => l.amount !== 0n)
      ? draftPosting(invoice.customerId, invoice.currency, invoice.id, lines)
      : null;
    this.book(invoiceDocument(invoice.id), wanted);
  }

  importPayment(payment: SnapshotPayment & { invoiceId: string }): void {
    this.payments.set(payment.id, payment);
    const lines = paymentLines(payment.customerId, payment.amount);
    const wanted =
      payment.amount !== 0n
        ? draftPosting(payment.customerId, payment.currency, payment.id, lines)
        : null;
    this.book(paymentDocument(payment.id), wanted);
  }

  private nextNumber(prefix: string): string {
    const next = (this.sequences.get(prefix) ?? 0) + 1;
    this.sequences.set(prefix, next);
    return formatDocumentNumber(prefix, next);
  }

  /** Mirrors activities/ledger-corrections.ts: one correction, all or nothing, once per key. */
  correct(request: CorrectionRequest): CorrectionOutcome {
    const keys = documentsOf(request.kind).map((d) =>
      adjustmentKey(request.disputeId, request.step, d),
    );
    const existing = this.adjustments.filter((a) => keys.includes(a.key));
    if (existing.length) return { posted: existing.map((a) => a.documentNumber) };
    const invoice = this.invoices.get(request.invoiceId);
    if (!invoice) return { refused: 'MissingRecord' };
    const customer = this.customers.find((c) => c.id === invoice.customerId)!;
    const payments = [...this.payments.values()]
      .filter((p) => p.invoiceId === invoice.id)
      .map((p) => p.amount);
    const earlier = this.adjustments.filter((a) => a.invoiceId === invoice.id);
    let plan;
    try {
      plan = planCorrection(
        request,
        {
          ...invoice,
          customerTaxRate: customer.taxRate,
          ...invoiceBalance(invoice.total, payments, earlier),
        },
        { id: request.disputeId, customerId: request.customerId, invoiceId: request.invoiceId },
        Date.parse('2026-06-01T00:00:00Z'),
      );
    } catch (error) {
      if (error instanceof CorrectionError) return { refused: error.problem };
      throw error;
    }
    const numbers: string[] = [];
    for (const doc of plan) {
      const number = this.nextNumber(DOCUMENT_PREFIXES[doc.kind]);
      numbers.push(number);
      const key = adjustmentKey(request.disputeId, request.step, doc.kind);
      if (doc.replacement) {
        this.invoices.set(number, {
          ...invoice,
          id: number,
          subtotal: doc.replacement.subtotal,
          tax: doc.replacement.tax,
          total: doc.replacement.total,
          voided: false,
          fromCorrection: true,
        });
        invoice.voided = true;
      }
      const approvedBy = request.approvedBy;
      const justified = request.justified ? fromMoneyDto(request.justified).minor : null;
      this.adjustments.push({
        key,
        invoiceId: invoice.id,
        documentNumber: number,
        disputeId: request.disputeId,
        customerId: request.customerId,
        kind: doc.kind,
        currency: doc.amount.currency,
        amount: doc.amount.minor,
        approvedBy,
        justified,
      });
      this.write({ ...doc.posting, key });
    }
    return { posted: numbers };
  }

  snapshot(): LedgerSnapshot {
    return {
      postings: this.postings,
      invoices: [...this.invoices.values()],
      payments: [...this.payments.values()],
      adjustments: this.adjustments,
    };
  }
}

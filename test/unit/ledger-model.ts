// In-memory books for the property tests: the same domain functions the store uses (revise a
// document, plan a correction under the guard, plan a reversal), applied to arrays instead of tables.
// Each invoice carries the discrepancy its rules would find (D); corrected invoices share their
// original's, as one family.
import {
  adjustmentKey,
  CorrectionError,
  DOCUMENT_PREFIXES,
  documentsOf,
  formatDocumentNumber,
  REVERSAL_PREFIX,
  reversalKey,
  type CorrectionRequest,
  type ReversalRequest,
} from '../../domain/ledger/correction';
import { invoiceBalance } from '../../domain/ledger/correction-checks';
import { correctedSoFar, type PostedCorrection } from '../../domain/ledger/correction-effect';
import { planCorrection } from '../../domain/ledger/correction-plan';
import { planReversal, type PostedDocument } from '../../domain/ledger/reversal-plan';
import { draftPosting } from '../../domain/ledger/accounts';
import {
  invoiceDocument,
  paymentDocument,
  reviseDocument,
  type KeyedPosting,
} from '../../domain/ledger/documents';
import type {
  GuardFigures,
  LedgerSnapshot,
  SnapshotAdjustment,
  SnapshotInvoice,
  SnapshotPayment,
  SnapshotPosting,
} from '../../domain/ledger/invariants';
import { invoiceLines, paymentLines } from '../../domain/ledger/postings';
import { fromMoneyDto, type MoneyDto } from '../../domain/money';

export interface ModelInvoice extends SnapshotInvoice {
  subtotal: bigint;
  taxRate: string;
  /** D: what the rules find wrong on it (its family's original billing). */
  discrepancy: bigint;
}

export interface ModelCustomer {
  id: string;
  taxRate: string;
}

export type CorrectionOutcome = { posted: string[] } | { refused: string };

type ModelAdjustment = SnapshotAdjustment & { installments: number };

const minor = (dto: unknown): bigint => fromMoneyDto(dto as MoneyDto).minor;

function guardOf(details: Record<string, unknown>): GuardFigures | null {
  const g = details.guard as Record<string, unknown> | undefined;
  return g
    ? {
        discrepancy: minor(g.discrepancy),
        correctedBefore: minor(g.correctedBefore),
        effect: minor(g.effect),
      }
    : null;
}

export class Books {
  readonly postings: SnapshotPosting[] = [];
  readonly invoices = new Map<string, ModelInvoice>();
  readonly payments = new Map<string, SnapshotPayment & { invoiceId: string }>();
  readonly adjustments: ModelAdjustment[] = [];
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

  importInvoice(
    invoice: Omit<ModelInvoice, 'voided' | 'fromCorrection' | 'replaces' | 'discrepancy'> & {
      discrepancy?: bigint;
    },
  ): void {
    const previous = this.invoices.get(invoice.id);
    const voided = previous?.voided ?? false;
    this.invoices.set(invoice.id, {
      ...invoice,
      // What the rules find is fixed at the first import, so C can be held to it.
      discrepancy: previous?.discrepancy ?? invoice.discrepancy ?? 0n,
      voided,
      fromCorrection: false,
      replaces: null,
    });
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

  root(invoiceId: string): string {
    let id = invoiceId;
    for (let up = this.invoices.get(id)?.replaces; up; up = this.invoices.get(id)?.replaces)
      id = up;
    return id;
  }

  private posted(adjustments: readonly ModelAdjustment[]): PostedCorrection[] {
    return adjustments.map((a) => ({
      documentNumber: a.documentNumber,
      kind: a.kind,
      amount: a.amount,
      totals: a.totals,
      reverses: a.reverses,
    }));
  }

  /** C of the invoice's family. */
  corrected(invoiceId: string): bigint {
    const root = this.root(invoiceId);
    return correctedSoFar(
      this.posted(this.adjustments.filter((a) => this.root(a.invoiceId) === root)),
    );
  }

  /** Mirrors store/ledger/corrections.ts: one correction, all or nothing, once per key. */
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
    const own = this.posted(this.adjustments.filter((a) => a.invoiceId === invoice.id));
    let plan;
    try {
      plan = planCorrection(
        request,
        {
          ...invoice,
          customerTaxRate: customer.taxRate,
          ...invoiceBalance(invoice.total, payments, own),
        },
        { id: request.disputeId, customerId: request.customerId, invoiceId: request.invoiceId },
        Date.parse('2026-06-01T00:00:00Z'),
        {
          discrepancy: this.invoices.get(this.root(invoice.id))!.discrepancy,
          corrected: this.corrected(invoice.id),
        },
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
          replaces: invoice.id,
        });
        invoice.voided = true;
      }
      this.adjustments.push({
        key,
        invoiceId: invoice.id,
        documentNumber: number,
        disputeId: request.disputeId,
        customerId: request.customerId,
        kind: doc.kind,
        currency: doc.amount.currency,
        amount: doc.amount.minor,
        totals: doc.replacement
          ? { voided: invoice.total, replacement: doc.replacement.total }
          : null,
        reverses: null,
        guard: guardOf(doc.details),
        order: this.adjustments.length,
        installments: doc.installments?.length ?? 0,
      });
      this.write({ ...doc.posting, key });
    }
    return { posted: numbers };
  }

  /** Mirrors store/ledger/reversals.ts. */
  reverse(request: ReversalRequest): CorrectionOutcome {
    const prefix = reversalKey(request.disputeId, request.step, '');
    const existing = this.adjustments.filter((a) => a.key.startsWith(prefix));
    if (existing.length) return { posted: existing.map((a) => a.documentNumber) };
    const target = this.adjustments.find((a) => a.documentNumber === request.documentNumber);
    if (!target) return { refused: 'MissingRecord' };
    const correction = target.key.slice(0, target.key.lastIndexOf(':') + 1);
    const toPosted = (a: ModelAdjustment): PostedDocument => ({
      id: a.documentNumber,
      disputeId: a.disputeId,
      customerId: a.customerId,
      kind: a.kind,
      documentNumber: a.documentNumber,
      amount: a.amount,
      tax: 0n,
      currency: a.currency,
      lines: this.postings.find((p) => p.key === a.key)?.lines ?? [],
      reversedBy:
        this.adjustments.find((r) => r.reverses === a.documentNumber)?.documentNumber ?? null,
    });
    let plan;
    try {
      plan = planReversal(
        request,
        toPosted(target),
        this.adjustments.filter((a) => a.key.startsWith(correction)).map(toPosted),
      );
      if (target.invoiceId !== request.invoiceId)
        throw new CorrectionError('InvalidCorrection', 'another invoice');
      for (const { original } of plan) {
        const replacement = this.invoices.get(original.documentNumber);
        if (original.kind === 'corrected_invoice' && replacement?.voided)
          throw new CorrectionError('InvalidCorrection', 'replacement already replaced');
      }
    } catch (error) {
      if (error instanceof CorrectionError) return { refused: error.problem };
      throw error;
    }
    const numbers: string[] = [];
    for (const { original, posting } of plan) {
      const number = this.nextNumber(REVERSAL_PREFIX);
      numbers.push(number);
      const key = reversalKey(request.disputeId, request.step, original.documentNumber);
      let reinstated: ModelInvoice | null = null;
      if (original.kind === 'corrected_invoice') {
        const replacement = this.invoices.get(original.documentNumber)!;
        replacement.voided = true;
        reinstated = this.invoices.get(replacement.replaces!)!;
        reinstated.voided = false;
      }
      this.adjustments.push({
        key,
        invoiceId: request.invoiceId,
        documentNumber: number,
        disputeId: request.disputeId,
        customerId: original.customerId,
        kind: 'reversal',
        currency: original.currency,
        amount: original.amount,
        totals: null,
        reverses: original.documentNumber,
        guard: null,
        order: this.adjustments.length,
        installments: 0,
      });
      this.write({ ...posting, key });
      // The reversal re-issued the amounts the correction voided; a re-import may have changed them.
      if (reinstated && !reinstated.fromCorrection) this.importInvoice(reinstated);
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

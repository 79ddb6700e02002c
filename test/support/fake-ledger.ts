// The ledger in memory, for tests about the dispute workflow alone: the real ledger's pure rules
// (domain/ledger: the guard, the documents and their postings, reversals, installment matching)
// over the books a test sets up, so a correction or reversal the books would refuse is refused
// here too, with the same problem type, nothing written; a retry gets what was posted.
import { discrepancyOf, type FindingDto } from '../../domain/investigation';
import { LedgerError } from '../../domain/ledger/accounts';
import {
  adjustmentKey,
  CorrectionError,
  DOCUMENT_PREFIXES,
  documentsOf,
  REVERSAL_PREFIX,
  reversalKey,
  type AdjustmentDto,
  type CorrectionCheck,
  type CorrectionProblem,
  type CorrectionRequest,
  type InstallmentStatus,
  type ReversalRequest,
} from '../../domain/ledger/correction';
import { invoiceBalance, type InvoiceFacts } from '../../domain/ledger/correction-checks';
import {
  correctedSoFar,
  CorrectionHistoryError,
  type PostedCorrection,
} from '../../domain/ledger/correction-effect';
import { planCorrection, type PlannedDocument } from '../../domain/ledger/correction-plan';
import { planReversal } from '../../domain/ledger/reversal-plan';
import { fromMoneyDto, money, toMoneyDto } from '../../domain/money';
import { LedgerBooks, toAdjustmentDto, type LedgerDocument } from './fake-ledger-books';

/** What a correction's D is read from: the rules as they stand now, or the reviewed findings. */
export interface FindingSource {
  /** The rules re-run on the dispute's invoice now; null when its records are missing. */
  rules(disputeId: string): FindingDto[] | null;
  /** The findings a person submitted for the dispute (empty before a review). */
  reviewed(disputeId: string): FindingDto[];
}

export interface Posting {
  request: CorrectionRequest;
  adjustments: AdjustmentDto[];
}

export interface Reversal {
  request: ReversalRequest;
  adjustments: AdjustmentDto[];
}

/** The problem type and message of a refusal, as the real ledger activities report it. */
export function refusalOf(error: unknown): { problem: CorrectionProblem; message: string } {
  if (error instanceof CorrectionError) return { problem: error.problem, message: error.message };
  if (error instanceof LedgerError) return { problem: 'InvalidCorrection', message: error.message };
  throw error;
}

export class FakeLedger {
  readonly books = new LedgerBooks();
  /** Corrections posted, in order, with the request that posted them. */
  readonly postings: Posting[] = [];
  readonly reversals: Reversal[] = [];
  /** Every dry run asked for, with its answer. */
  readonly checks: { request: CorrectionRequest; answer: CorrectionCheck }[] = [];

  constructor(private readonly findings: FindingSource) {}

  /** Posts a correction once per (dispute, step); a retry returns what the first posted. */
  applyCorrection(request: CorrectionRequest, now: Date): AdjustmentDto[] {
    const earlier = this.ofCorrection(request);
    if (earlier.length > 0) return earlier;
    const docs: LedgerDocument[] = [];
    for (const planned of this.plan(request, now))
      docs.push(this.issue(request, planned, docs, now));
    if (request.kind === 'payment_plan') this.books.settle(request.invoiceId);
    const adjustments = docs.map(toAdjustmentDto);
    this.postings.push({ request, adjustments });
    return adjustments;
  }

  /** The answer applyCorrection would give now, writing nothing. */
  checkCorrection(request: CorrectionRequest, now: Date): CorrectionCheck {
    let answer: CorrectionCheck = { ok: true };
    if (this.ofCorrection(request).length === 0) {
      try {
        this.plan(request, now);
      } catch (error) {
        const refusal = refusalOf(error);
        answer = { ok: false, problem: refusal.problem, message: refusal.message };
      }
    }
    this.checks.push({ request, answer });
    return answer;
  }

  /** Reverses every document of the correction that issued `documentNumber`, once per step. */
  reverseCorrection(request: ReversalRequest, now: Date): AdjustmentDto[] {
    const { books } = this;
    const prefix = reversalKey(request.disputeId, request.step, '');
    const earlier = books.documents.filter((d) => d.key.startsWith(prefix));
    if (earlier.length > 0) return earlier.map(toAdjustmentDto);
    const target = books.documents.find((d) => d.posted.documentNumber === request.documentNumber);
    if (!target)
      throw new CorrectionError(
        'MissingRecord',
        `document ${request.documentNumber} does not exist`,
      );
    const correction = target.key.slice(0, target.key.lastIndexOf(':') + 1);
    const plan = planReversal(
      request,
      books.toPostedDocument(target),
      books.documents
        .filter((d) => d.key.startsWith(correction))
        .map((d) => books.toPostedDocument(d)),
    );
    const targetInvoice = books.disputes.get(target.disputeId)?.invoiceId;
    if (targetInvoice !== request.invoiceId)
      throw new CorrectionError(
        'InvalidCorrection',
        `${request.documentNumber} corrects invoice ${String(targetInvoice)}, not ${request.invoiceId}`,
      );
    const originals = plan.map(({ original }) =>
      books.documents.find((d) => d.id === original.id)!,
    );
    // Checked before anything is written: the real reversal is one transaction.
    for (const doc of originals) this.checkUndoable(doc);
    const reversals = plan.map(({ details }, index) => {
      const doc = originals[index]!;
      const number = books.nextNumber(REVERSAL_PREFIX);
      const reversal: LedgerDocument = {
        id: `adj-${number}`,
        disputeId: request.disputeId,
        key: reversalKey(request.disputeId, request.step, doc.posted.documentNumber),
        posted: {
          documentNumber: number,
          kind: 'reversal',
          amount: doc.posted.amount,
          reverses: doc.posted.documentNumber,
        },
        tax: doc.tax,
        currency: doc.currency,
        lines: doc.lines.map((l) => ({ account: l.account, amount: -l.amount })),
        details,
        createdAt: now.toISOString(),
        installments: null,
        reversedBy: null,
      };
      doc.reversedBy = number;
      this.undoSideEffects(doc, number);
      books.documents.push(reversal);
      return reversal;
    });
    books.settle(request.invoiceId);
    const adjustments = reversals.map(toAdjustmentDto);
    this.reversals.push({ request, adjustments });
    return adjustments;
  }

  /** The installments of the dispute's payment plans, plan by plan, as payments settled them. */
  paymentPlanStatus(disputeId: string): InstallmentStatus[] {
    return this.books.documents
      .filter((d) => d.disputeId === disputeId && d.posted.kind === 'payment_plan')
      .flatMap((plan) =>
        (plan.installments ?? []).map((i) => ({
          number: i.number,
          dueAt: i.dueAt,
          amount: toMoneyDto(money(i.amount, plan.currency)),
          paid: toMoneyDto(money(i.paid, plan.currency)),
          status: i.status,
        })),
      );
  }

  /** The corrections a dispute posted, and the reversals it made. */
  postingsOf(disputeId: string): Posting[] {
    return this.postings.filter((p) => p.request.disputeId === disputeId);
  }

  reversalsOf(disputeId: string): Reversal[] {
    return this.reversals.filter((r) => r.request.disputeId === disputeId);
  }

  private ofCorrection(request: CorrectionRequest): AdjustmentDto[] {
    return documentsOf(request.kind)
      .map((kind) => adjustmentKey(request.disputeId, request.step, kind))
      .flatMap((key) => this.books.documents.filter((d) => d.key === key))
      .map(toAdjustmentDto);
  }

  /** The checks and documents of postCorrection, over the books in memory. */
  private plan(request: CorrectionRequest, now: Date): PlannedDocument[] {
    const { books } = this;
    const invoice = books.invoice(request.invoiceId);
    const dispute = books.dispute(request.disputeId);
    const facts: InvoiceFacts = {
      id: invoice.id,
      customerId: invoice.customerId,
      currency: invoice.currency,
      taxRate: invoice.taxRate,
      customerTaxRate: invoice.customerTaxRate,
      subtotal: invoice.subtotal,
      tax: invoice.tax,
      total: invoice.total,
      voided: invoice.voidedBy !== null,
      ...invoiceBalance(invoice.total, invoice.payments, books.postedOn([invoice.id])),
    };
    const findings =
      request.basis === 'rules'
        ? this.findings.rules(request.disputeId)
        : this.findings.reviewed(request.disputeId);
    if (!findings)
      throw new CorrectionError('MissingRecord', `the records of ${invoice.id} are missing`);
    const foreign = findings.find((f) => f.delta.currency !== invoice.currency);
    if (foreign)
      throw new CorrectionError(
        'InvalidCorrection',
        `a finding of dispute ${dispute.id} is in ${foreign.delta.currency}, not the invoice's ${invoice.currency}`,
      );
    const discrepancy = discrepancyOf(
      findings.map((f) => ({ rule: f.rule, delta: fromMoneyDto(f.delta) })),
    );
    let corrected: bigint;
    try {
      corrected = correctedSoFar(books.postedOn(books.family(invoice.id)));
    } catch (error) {
      if (!(error instanceof CorrectionHistoryError)) throw error;
      throw new CorrectionError('InvalidCorrection', error.message);
    }
    return planCorrection(request, facts, dispute, now.getTime(), { discrepancy, corrected });
  }

  /** Issues one planned document; `earlier` are the ones this correction issued before it. */
  private issue(
    request: CorrectionRequest,
    planned: PlannedDocument,
    earlier: readonly LedgerDocument[],
    now: Date,
  ): LedgerDocument {
    const { books } = this;
    const number = books.nextNumber(DOCUMENT_PREFIXES[planned.kind]);
    const id = `adj-${number}`;
    const first = earlier[0];
    const links =
      planned.kind === 'refund' && first
        ? { settles: first.posted.documentNumber }
        : planned.replacement
          ? { replacementInvoiceId: number }
          : {};
    const posted: PostedCorrection = {
      documentNumber: number,
      kind: planned.kind,
      amount: planned.amount.minor,
    };
    if (planned.replacement) {
      // A corrected invoice voids the original and is the invoice from now on.
      const original = books.invoice(request.invoiceId);
      posted.totals = { voided: original.total, replacement: planned.replacement.total };
      books.invoices.set(number, {
        ...original,
        id: number,
        subtotal: planned.replacement.subtotal,
        tax: planned.replacement.tax,
        total: planned.replacement.total,
        payments: [],
        voidedBy: null,
        replaces: original.id,
      });
      original.voidedBy = number;
    }
    const doc: LedgerDocument = {
      id,
      disputeId: request.disputeId,
      key: adjustmentKey(request.disputeId, request.step, planned.kind),
      posted,
      tax: planned.tax.minor,
      currency: planned.amount.currency,
      lines: planned.posting.lines,
      details: { ...planned.details, ...links },
      createdAt: now.toISOString(),
      installments:
        planned.installments?.map((i) => ({
          id: `${id}:${i.number}`,
          number: i.number,
          dueAt: i.dueOn,
          amount: i.amount.minor,
          paid: 0n,
          status: 'scheduled',
        })) ?? null,
      reversedBy: null,
    };
    books.documents.push(doc);
    return doc;
  }

  /** A corrected invoice replaced again cannot be reversed before its replacement is. */
  private checkUndoable(doc: LedgerDocument): void {
    if (doc.posted.kind !== 'corrected_invoice') return;
    const replacement = this.books.invoice(doc.posted.documentNumber);
    if (replacement.voidedBy !== null)
      throw new CorrectionError(
        'InvalidCorrection',
        `corrected invoice ${doc.posted.documentNumber} was itself replaced by ${replacement.voidedBy}; reverse that first`,
      );
  }

  /** A reversed corrected invoice re-instates the original; a reversed plan's open installments end. */
  private undoSideEffects(doc: LedgerDocument, reversal: string): void {
    if (doc.posted.kind === 'corrected_invoice') {
      const replacement = this.books.invoice(doc.posted.documentNumber);
      replacement.voidedBy = reversal;
      this.books.invoice(replacement.replaces!).voidedBy = null;
    }
    for (const installment of doc.installments ?? [])
      if (installment.status === 'scheduled') installment.status = 'cancelled';
  }
}

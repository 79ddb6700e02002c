// The ledger in memory, for tests about the dispute workflow alone: the real ledger's pure rules
// (domain/ledger: the guard, the documents and their postings, reversals, installment matching)
// over invoices, payments and findings a test sets up, so a correction or reversal the books would
// refuse is refused here too, with the same problem type, and a retry gets what was posted.
import { discrepancyOf } from '../../domain/investigation/finding';
import { LedgerError, type LedgerLine } from '../../domain/ledger/accounts';
import {
  adjustmentKey,
  CorrectionError,
  DOCUMENT_PREFIXES,
  documentsOf,
  formatDocumentNumber,
  REVERSAL_PREFIX,
  reversalKey,
  type AdjustmentDto,
  type CorrectionCheck,
  type CorrectionProblem,
  type CorrectionRequest,
  type InstallmentStatus,
  type ReversalRequest,
} from '../../domain/ledger/correction';
import {
  invoiceBalance,
  type DisputeFacts,
  type InvoiceFacts,
} from '../../domain/ledger/correction-checks';
import {
  correctedSoFar,
  CorrectionHistoryError,
  type PostedCorrection,
} from '../../domain/ledger/correction-effect';
import { planCorrection, type PlannedDocument } from '../../domain/ledger/correction-plan';
import {
  matchInstallments,
  paidTowardPlans,
  type PlanInstallment,
} from '../../domain/ledger/installment-matching';
import { planReversal, type PostedDocument } from '../../domain/ledger/reversal-plan';
import type { FindingDto } from '../../domain/investigation';
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

/** What a correction's D is read from: the rules as they stand now, or the reviewed findings. */
export interface FindingSource {
  /** The rules re-run on the dispute's invoice now; null when its records are missing. */
  rules(disputeId: string): FindingDto[] | null;
  /** The findings a person submitted for the dispute (empty before a review). */
  reviewed(disputeId: string): FindingDto[];
}

interface Installment extends PlanInstallment {
  number: number;
}

interface Document {
  id: string;
  disputeId: string;
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

export interface Posting {
  request: CorrectionRequest;
  adjustments: AdjustmentDto[];
}

export interface Reversal {
  request: ReversalRequest;
  adjustments: AdjustmentDto[];
}

const missing = (what: string): CorrectionError =>
  new CorrectionError('MissingRecord', `${what} is not in the database`);

function toDto(doc: Document): AdjustmentDto {
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

export class FakeLedger {
  readonly invoices = new Map<string, LedgerInvoice>();
  readonly disputes = new Map<string, DisputeFacts>();
  /** Corrections posted, in order, with the request that posted them. */
  readonly postings: Posting[] = [];
  readonly reversals: Reversal[] = [];
  /** Every dry run asked for, with its answer. */
  readonly checks: { request: CorrectionRequest; answer: CorrectionCheck }[] = [];
  private readonly documents: Document[] = [];
  private readonly sequences = new Map<string, number>();

  constructor(private readonly findings: FindingSource) {}

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

  /** Records a payment on an invoice (it settles the invoice first, then its plans' installments). */
  pay(invoiceId: string, amount: MoneyDto): void {
    this.invoice(invoiceId).payments.push(fromMoneyDto(amount).minor);
    this.settle(invoiceId);
  }

  /** Posts a correction once per (dispute, step); a retry returns what the first posted. */
  applyCorrection(request: CorrectionRequest, now: Date): AdjustmentDto[] {
    const earlier = this.ofCorrection(request);
    if (earlier.length > 0) return earlier;
    const docs: Document[] = [];
    for (const planned of this.plan(request, now))
      docs.push(this.issue(request, planned, docs, now));
    if (request.kind === 'payment_plan') this.settle(request.invoiceId);
    const adjustments = docs.map(toDto);
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
    const prefix = reversalKey(request.disputeId, request.step, '');
    const earlier = this.documents.filter((d) => d.key.startsWith(prefix));
    if (earlier.length > 0) return earlier.map(toDto);
    const target = this.documents.find((d) => d.posted.documentNumber === request.documentNumber);
    if (!target)
      throw new CorrectionError(
        'MissingRecord',
        `document ${request.documentNumber} does not exist`,
      );
    const correction = target.key.slice(0, target.key.lastIndexOf(':') + 1);
    const ofCorrection = this.documents.filter((d) => d.key.startsWith(correction));
    const plan = planReversal(
      request,
      this.toPostedDocument(target),
      ofCorrection.map((d) => this.toPostedDocument(d)),
    );
    const targetInvoice = this.disputes.get(target.disputeId)?.invoiceId;
    if (targetInvoice !== request.invoiceId)
      throw new CorrectionError(
        'InvalidCorrection',
        `${request.documentNumber} corrects invoice ${String(targetInvoice)}, not ${request.invoiceId}`,
      );
    const reversals = plan.map(({ original, details }) => {
      const doc = this.documents.find((d) => d.id === original.id)!;
      const number = this.nextNumber(REVERSAL_PREFIX);
      const reversal: Document = {
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
      this.documents.push(reversal);
      return reversal;
    });
    this.settle(request.invoiceId);
    const adjustments = reversals.map(toDto);
    this.reversals.push({ request, adjustments });
    return adjustments;
  }

  /** The installments of the dispute's payment plans, plan by plan, as payments settled them. */
  paymentPlanStatus(disputeId: string): InstallmentStatus[] {
    return this.documents
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

  /**
   * Spreads what the invoice's payments leave after everything else it bills over its plans'
   * live installments, the earliest due first (as imports and postings do in the real ledger).
   */
  private settle(invoiceId: string): void {
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

  private invoice(id: string): LedgerInvoice {
    const invoice = this.invoices.get(id);
    if (!invoice) throw missing(`invoice ${id}`);
    return invoice;
  }

  private ofCorrection(request: CorrectionRequest): AdjustmentDto[] {
    return documentsOf(request.kind)
      .map((kind) => adjustmentKey(request.disputeId, request.step, kind))
      .flatMap((key) => this.documents.filter((d) => d.key === key))
      .map(toDto);
  }

  /** The invoice and its corrected invoices, whichever of them a dispute is about. */
  private family(invoiceId: string): string[] {
    let root = invoiceId;
    while (this.invoices.get(root)?.replaces) root = this.invoices.get(root)!.replaces!;
    const ids = [root];
    for (let i = 0; i < ids.length; i += 1)
      for (const invoice of this.invoices.values())
        if (invoice.replaces === ids[i]) ids.push(invoice.id);
    return ids;
  }

  /** The documents posted by disputes on these invoices, oldest first. */
  private postedOn(invoiceIds: readonly string[]): PostedCorrection[] {
    return this.documents
      .filter((d) => invoiceIds.includes(this.disputes.get(d.disputeId)?.invoiceId ?? ''))
      .map((d) => d.posted);
  }

  /** The checks and documents of postCorrection, over the facts in memory. */
  private plan(request: CorrectionRequest, now: Date): PlannedDocument[] {
    const invoice = this.invoice(request.invoiceId);
    const dispute = this.disputes.get(request.disputeId);
    if (!dispute) throw missing(`dispute ${request.disputeId}`);
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
      ...invoiceBalance(invoice.total, invoice.payments, this.postedOn([invoice.id])),
    };
    const findings =
      request.basis === 'rules'
        ? this.findings.rules(request.disputeId)
        : this.findings.reviewed(request.disputeId);
    if (!findings) throw missing(`the billing records of ${invoice.id}`);
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
      corrected = correctedSoFar(this.postedOn(this.family(invoice.id)));
    } catch (error) {
      if (!(error instanceof CorrectionHistoryError)) throw error;
      throw new CorrectionError('InvalidCorrection', error.message);
    }
    return planCorrection(request, facts, dispute, now.getTime(), { discrepancy, corrected });
  }

  private nextNumber(prefix: string): string {
    const next = (this.sequences.get(prefix) ?? 0) + 1;
    this.sequences.set(prefix, next);
    return formatDocumentNumber(prefix, next);
  }

  /** Issues one planned document; `earlier` are the ones this correction issued before it. */
  private issue(
    request: CorrectionRequest,
    planned: PlannedDocument,
    earlier: readonly Document[],
    now: Date,
  ): Document {
    const number = this.nextNumber(DOCUMENT_PREFIXES[planned.kind]);
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
      const original = this.invoice(request.invoiceId);
      posted.totals = { voided: original.total, replacement: planned.replacement.total };
      this.invoices.set(number, {
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
    const doc: Document = {
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
    this.documents.push(doc);
    return doc;
  }

  private toPostedDocument(doc: Document): PostedDocument {
    const dispute = this.disputes.get(doc.disputeId);
    return {
      id: doc.id,
      disputeId: doc.disputeId,
      customerId: dispute?.customerId ?? '',
      kind: doc.posted.kind,
      documentNumber: doc.posted.documentNumber,
      amount: doc.posted.amount,
      tax: doc.tax,
      currency: doc.currency,
      lines: doc.lines,
      reversedBy: doc.reversedBy,
    };
  }

  /** A reversed corrected invoice re-instates the original; a reversed plan's open installments end. */
  private undoSideEffects(doc: Document, reversal: string): void {
    if (doc.posted.kind === 'corrected_invoice') {
      const replacement = this.invoice(doc.posted.documentNumber);
      if (replacement.voidedBy !== null)
        throw new CorrectionError(
          'InvalidCorrection',
          `corrected invoice ${doc.posted.documentNumber} was itself replaced by ${replacement.voidedBy}; reverse that first`,
        );
      replacement.voidedBy = reversal;
      this.invoice(replacement.replaces!).voidedBy = null;
    }
    for (const installment of doc.installments ?? [])
      if (installment.status === 'scheduled') installment.status = 'cancelled';
  }
}

/** The problem type and message of a refusal, as the real ledger activities report it. */
export function refusalOf(error: unknown): { problem: CorrectionProblem; message: string } {
  if (error instanceof CorrectionError) return { problem: error.problem, message: error.message };
  if (error instanceof LedgerError) return { problem: 'InvalidCorrection', message: error.message };
  throw error;
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let k = 0; k < a.length; k += 1) if (a[k] !== b[k]) return a[k]! < b[k]! ? -1 : 1;
  return 0;
}

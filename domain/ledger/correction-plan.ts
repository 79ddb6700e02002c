// Turns an agreed correction into the documents to issue and their postings. Pure: the activity
// reads the facts, calls this, and writes the result in one transaction.
import type { CorrectionRequest, DocumentKind } from './correction';
import {
  agreedAmount,
  checkCreditable,
  checkGuard,
  checkParties,
  installmentCount,
  installmentsStart,
  type DisputeFacts,
  type GuardFacts,
  type InvoiceFacts,
} from './correction-checks';
import { draftPosting, type PostingDraft } from './accounts';
import {
  correctedInvoiceLines,
  creditNoteLines,
  debitNoteLines,
  refundLines,
  writeOffLines,
} from './postings';
import { splitTax, type TaxSplit } from './tax';
import { money, toMoneyDto, type Money, type MoneyDto } from '../money';
import { planInstallments, type PlannedInstallment } from './payment-plan';

/**
 * A corrected invoice's replacement: the original's lines plus one correction line of
 * `correctionLine` net (negative lowers the total for an overcharge, positive raises it).
 */
export interface ReplacementInvoice {
  subtotal: bigint;
  tax: bigint;
  total: bigint;
  correctionLine: bigint;
}

export interface PlannedDocument {
  kind: DocumentKind;
  amount: Money;
  tax: Money;
  posting: PostingDraft;
  details: Record<string, unknown>;
  installments: PlannedInstallment[] | null;
  replacement: ReplacementInvoice | null;
}

/** What the guard saw, recorded on each document so `npm run ledger:check` can re-check it. */
export interface GuardRecord {
  basis: CorrectionRequest['basis'];
  /** D */
  discrepancy: MoneyDto;
  /** C before this document */
  correctedBefore: MoneyDto;
  /** This document's own effect (a refund's is 0: its credit note carries it). */
  effect: MoneyDto;
}

function guardRecord(
  request: CorrectionRequest,
  currency: string,
  guard: GuardFacts,
  before: bigint,
  effect: bigint,
): GuardRecord {
  return {
    basis: request.basis,
    discrepancy: toMoneyDto(money(guard.discrepancy, currency)),
    correctedBefore: toMoneyDto(money(before, currency)),
    effect: toMoneyDto(money(effect, currency)),
  };
}

function baseDetails(
  request: CorrectionRequest,
  split: TaxSplit,
  rate: string,
  guard: GuardRecord,
): Record<string, unknown> {
  return {
    invoiceId: request.invoiceId,
    step: request.step,
    net: toMoneyDto(split.net),
    taxRate: rate,
    approvedBy: request.approvedBy,
    guard,
  };
}

function document(
  kind: DocumentKind,
  split: TaxSplit,
  posting: PostingDraft,
  details: Record<string, unknown>,
  extra: Partial<Pick<PlannedDocument, 'installments' | 'replacement'>> = {},
): PlannedDocument {
  return {
    kind,
    amount: split.gross,
    tax: split.tax,
    posting,
    details,
    installments: extra.installments ?? null,
    replacement: extra.replacement ?? null,
  };
}

/**
 * The documents a correction issues, in the order of `documentsOf(kind)` (a refund's refund part
 * is left out when nothing was overpaid), once the guard allows it. Throws CorrectionError when it
 * cannot be posted.
 */
export function planCorrection(
  request: CorrectionRequest,
  invoice: InvoiceFacts,
  dispute: DisputeFacts,
  nowMs: number,
  guard: GuardFacts,
): PlannedDocument[] {
  checkParties(request, invoice, dispute);
  const amount = agreedAmount(request, invoice);
  const effect = checkGuard(request, invoice, amount, guard);
  const { customerId, currency } = invoice;
  const on = `on ${invoice.id} for dispute ${dispute.id}`;
  // Credits, and a corrected invoice either way: tax at the invoice's own rate.
  const onInvoice =
    request.kind === 'credit_note' ||
    request.kind === 'refund' ||
    request.kind === 'corrected_invoice';
  const rate = onInvoice ? invoice.taxRate : invoice.customerTaxRate;
  const split = splitTax(amount, rate);
  const details = baseDetails(
    request,
    split,
    rate,
    guardRecord(request, currency, guard, guard.corrected, effect),
  );
  if (effect > 0n) checkCreditable(request, invoice, amount);

  switch (request.kind) {
    case 'credit_note':
      return [
        document(
          'credit_note',
          split,
          draftPosting(
            customerId,
            currency,
            `Credit note ${on}`,
            creditNoteLines(customerId, split),
          ),
          details,
        ),
      ];
    case 'refund': {
      const credit = document(
        'credit_note',
        split,
        draftPosting(
          customerId,
          currency,
          `Credit note ${on} (refunded)`,
          creditNoteLines(customerId, split),
        ),
        details,
      );
      // Only what the customer overpaid once the credit is applied goes back as money.
      const overpaid = amount.minor - invoice.open;
      const refund = overpaid <= 0n ? 0n : overpaid > amount.minor ? amount.minor : overpaid;
      if (refund === 0n) return [credit];
      const refundSplit: TaxSplit = {
        gross: money(refund, currency),
        net: money(refund, currency),
        tax: money(0n, currency),
      };
      const posting = draftPosting(
        customerId,
        currency,
        `Refund ${on}`,
        refundLines(customerId, refund),
      );
      return [
        credit,
        document('refund', refundSplit, posting, {
          ...details,
          net: toMoneyDto(refundSplit.net),
          taxRate: null,
          guard: guardRecord(request, currency, guard, guard.corrected + effect, 0n),
        }),
      ];
    }
    case 'corrected_invoice': {
      // effect > 0 lowers the total (an overcharge), < 0 raises it (an undercharge).
      const sign = effect > 0n ? -1n : 1n;
      const total = invoice.total + sign * amount.minor;
      const tax = invoice.tax + sign * split.tax.minor;
      const replacement: ReplacementInvoice = {
        subtotal: invoice.subtotal + sign * split.net.minor,
        tax,
        total,
        correctionLine: sign * split.net.minor,
      };
      const lines = correctedInvoiceLines(
        { customerId, total: invoice.total, tax: invoice.tax },
        { customerId, total, tax },
      );
      const posting = draftPosting(
        customerId,
        currency,
        `Corrected invoice voiding ${invoice.id} for dispute ${dispute.id}`,
        lines,
      );
      const extra = {
        voidedInvoiceId: invoice.id,
        originalTotal: toMoneyDto(money(invoice.total, currency)),
        correctedTotal: toMoneyDto(money(total, currency)),
      };
      return [
        document('corrected_invoice', split, posting, { ...details, ...extra }, { replacement }),
      ];
    }
    case 'debit_note':
      return [
        document(
          'debit_note',
          split,
          draftPosting(customerId, currency, `Debit note ${on}`, debitNoteLines(customerId, split)),
          details,
        ),
      ];
    case 'write_off':
      return [
        document(
          'write_off',
          split,
          draftPosting(
            customerId,
            currency,
            `Undercharge written off ${on}`,
            writeOffLines(customerId, split),
          ),
          details,
        ),
      ];
    case 'payment_plan': {
      const count = installmentCount(request, amount);
      const installments = planInstallments(amount, count, installmentsStart(request, nowMs));
      const posting = draftPosting(
        customerId,
        currency,
        `Payment plan (${count} installments) ${on}`,
        debitNoteLines(customerId, split),
      );
      return [
        document(
          'payment_plan',
          split,
          posting,
          { ...details, installments: count },
          { installments },
        ),
      ];
    }
  }
}

// Reads the books and the documents behind them in one consistent snapshot, for the invariants.
import type { CorrectionKind } from '../../domain/ledger/correction';
import {
  checkLedger,
  type LedgerReport,
  type LedgerSnapshot,
} from '../../domain/ledger/invariants';
import { absMinor, fromMoneyDto, type MoneyDto } from '../../domain/money';
import type { Db } from '../db';

function justifiedOf(details: Record<string, unknown>): bigint | null {
  const justified = details.justified as MoneyDto | null | undefined;
  if (!justified) return null;
  return absMinor(fromMoneyDto(justified).minor);
}

export async function loadLedgerSnapshot(db: Db): Promise<LedgerSnapshot> {
  // Serializable is the one isolation level both databases offer: every read sees the same moment.
  return db.$transaction(
    async (tx) => {
      const [postings, invoices, payments, adjustments] = await Promise.all([
        tx.ledgerPosting.findMany({ include: { entries: true }, orderBy: { postedAt: 'asc' } }),
        tx.invoice.findMany({
          select: {
            id: true,
            customerId: true,
            currency: true,
            total: true,
            tax: true,
            voidedById: true,
          },
        }),
        tx.payment.findMany({
          select: { id: true, customerId: true, currency: true, amount: true },
        }),
        tx.adjustment.findMany({ include: { dispute: { select: { customerId: true } } } }),
      ]);
      const replacements = new Set(
        adjustments.filter((a) => a.kind === 'corrected_invoice').map((a) => a.documentNumber),
      );
      return {
        postings: postings.map((p) => ({
          id: p.id,
          key: p.idempotencyKey,
          lines: p.entries.map((e) => ({
            customerId: e.customerId ?? p.customerId,
            currency: e.currency,
            account: e.account,
            amount: e.amount,
          })),
        })),
        invoices: invoices.map((i) => ({
          id: i.id,
          customerId: i.customerId,
          currency: i.currency,
          total: i.total,
          tax: i.tax,
          voided: i.voidedById !== null,
          fromCorrection: replacements.has(i.id),
        })),
        payments,
        adjustments: adjustments.map((a) => {
          const details = JSON.parse(a.details) as Record<string, unknown>;
          return {
            documentNumber: a.documentNumber,
            disputeId: a.disputeId,
            customerId: a.dispute.customerId,
            kind: a.kind as CorrectionKind,
            currency: a.currency,
            amount: a.amount,
            approvedBy: typeof details.approvedBy === 'string' ? details.approvedBy : null,
            justified: justifiedOf(details),
          };
        }),
      };
    },
    { isolationLevel: 'Serializable' },
  );
}

/** The invariants of the whole ledger, as the tests and `npm run ledger:check` see them. */
export async function checkLedgerInDatabase(db: Db): Promise<LedgerReport> {
  return checkLedger(await loadLedgerSnapshot(db));
}

// Reads the books and the documents behind them in one consistent snapshot, for the invariants.
import type { PostedKind } from '../../domain/ledger/correction-effect';
import {
  checkLedger,
  type GuardFigures,
  type LedgerReport,
  type LedgerSnapshot,
} from '../../domain/ledger/invariants';
import { fromMoneyDto, type MoneyDto } from '../../domain/money';
import type { Db } from '../db';

const minorOf = (value: unknown): bigint | null =>
  value && typeof value === 'object' ? fromMoneyDto(value as MoneyDto).minor : null;

function guardOf(details: Record<string, unknown>): GuardFigures | null {
  const guard = details.guard as Record<string, unknown> | undefined;
  if (!guard) return null;
  const [discrepancy, correctedBefore, effect] = [
    minorOf(guard.discrepancy),
    minorOf(guard.correctedBefore),
    minorOf(guard.effect),
  ];
  if (discrepancy === null || correctedBefore === null || effect === null) return null;
  return { discrepancy, correctedBefore, effect };
}

function totalsOf(
  details: Record<string, unknown>,
): { voided: bigint; replacement: bigint } | null {
  const [voided, replacement] = [minorOf(details.originalTotal), minorOf(details.correctedTotal)];
  return voided === null || replacement === null ? null : { voided, replacement };
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
            replacesId: true,
          },
        }),
        tx.payment.findMany({
          select: { id: true, customerId: true, currency: true, amount: true },
        }),
        tx.adjustment.findMany({
          include: {
            dispute: { select: { customerId: true, invoiceId: true } },
            reverses: { select: { documentNumber: true } },
          },
        }),
      ]);
      const replacements = new Set(
        adjustments.filter((a) => a.kind === 'corrected_invoice').map((a) => a.documentNumber),
      );
      // Entries are written after the family lock, so their ids order one family's documents.
      const firstEntry = new Map(
        postings.map((p) => [
          p.idempotencyKey,
          p.entries.reduce((min, e) => (e.id < min ? e.id : min), Number.MAX_SAFE_INTEGER),
        ]),
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
          replaces: i.replacesId,
        })),
        payments,
        adjustments: adjustments.map((a) => {
          const details = JSON.parse(a.details) as Record<string, unknown>;
          return {
            documentNumber: a.documentNumber,
            key: a.idempotencyKey,
            disputeId: a.disputeId,
            customerId: a.dispute.customerId,
            invoiceId: a.dispute.invoiceId,
            kind: a.kind as PostedKind,
            currency: a.currency,
            amount: a.amount,
            totals: a.kind === 'corrected_invoice' ? totalsOf(details) : null,
            reverses: a.reverses?.documentNumber ?? null,
            guard: guardOf(details),
            order: firstEntry.get(a.idempotencyKey) ?? Number.MAX_SAFE_INTEGER,
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

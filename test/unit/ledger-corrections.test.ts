import { describe, expect, it } from 'vitest';
import {
  adjustmentKey,
  CorrectionError,
  documentsOf,
  formatDocumentNumber,
  type CorrectionRequest,
} from '../../domain/ledger/correction';
import {
  invoiceBalance,
  type GuardFacts,
  type InvoiceFacts,
} from '../../domain/ledger/correction-checks';
import { planCorrection as planWith } from '../../domain/ledger/correction-plan';
import type { PostedCorrection } from '../../domain/ledger/correction-effect';
import {
  COMPANY_ACCOUNTS as A,
  netByAccount,
  receivableAccount,
} from '../../domain/ledger/accounts';

const invoice = (overrides: Partial<InvoiceFacts> = {}): InvoiceFacts => ({
  id: 'INV-1',
  customerId: 'C-1',
  currency: 'USD',
  taxRate: '0.0825',
  customerTaxRate: '0.0825',
  subtotal: 2078000n,
  tax: 171435n,
  total: 2249435n,
  voided: false,
  // Paid in full: nothing open.
  billed: 2249435n,
  open: 0n,
  ...overrides,
});
const dispute = { id: 'D-1', customerId: 'C-1', invoiceId: 'INV-1' };
const request = (overrides: Partial<CorrectionRequest> = {}): CorrectionRequest => ({
  disputeId: 'D-1',
  customerId: 'C-1',
  invoiceId: 'INV-1',
  kind: 'credit_note',
  amount: { amount: '433.00', currency: 'USD' },
  installments: null,
  step: 'correction.1',
  approvedBy: null,
  basis: 'rules',
  ...overrides,
});
const NOW = Date.parse('2026-06-01T10:00:00Z');
/** The rules find 433.00 overcharged and nothing is corrected yet. */
const OVER: GuardFacts = { discrepancy: 43300n, corrected: 0n };
const UNDER: GuardFacts = { discrepancy: -11000n, corrected: 0n };

function planCorrection(
  req: CorrectionRequest,
  facts: InvoiceFacts,
  on: typeof dispute,
  now: number,
  guard: GuardFacts = req.kind === 'credit_note' ||
  req.kind === 'refund' ||
  req.kind === 'corrected_invoice'
    ? OVER
    : UNDER,
): ReturnType<typeof planWith> {
  return planWith(req, facts, on, now, guard);
}
const r = receivableAccount('C-1');

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CorrectionError) return error.problem;
    throw error;
  }
  return 'none';
}

describe('keys and numbers', () => {
  it('derives one key per document from dispute, step and document', () => {
    expect(documentsOf('refund')).toEqual(['credit_note', 'refund']);
    expect(adjustmentKey('D-1', 'correction.r2', 'refund')).toBe(
      'correction:D-1:correction.r2:refund',
    );
    expect(formatDocumentNumber('CN', 123)).toBe('CN-000123');
  });
});

describe('planCorrection', () => {
  it('credit note: tax split at the invoice rate, receivable credited', () => {
    const [doc, ...rest] = planCorrection(request(), invoice(), dispute, NOW);
    expect(rest).toEqual([]);
    expect(doc).toMatchObject({
      kind: 'credit_note',
      amount: { minor: 43300n },
      tax: { minor: 3300n },
    });
    expect(netByAccount(doc!.posting.lines)).toEqual(
      new Map([
        [A.contraRevenue, 40000n],
        [r, -43300n],
        [A.taxPayable, 3300n],
      ]),
    );
    expect(doc!.details).toMatchObject({
      invoiceId: 'INV-1',
      taxRate: '0.0825',
      net: { amount: '400.00' },
    });
  });

  it('refund on a paid invoice: a credit note and a refund of the same agreed amount', () => {
    const docs = planCorrection(request({ kind: 'refund' }), invoice(), dispute, NOW);
    expect(docs.map((d) => [d.kind, d.amount.minor, d.tax.minor])).toEqual([
      ['credit_note', 43300n, 3300n],
      ['refund', 43300n, 0n],
    ]);
    const all = netByAccount(docs.flatMap((d) => d.posting.lines));
    // The customer's receivable is back where it was; the money is owed back to them.
    expect(all.get(r)).toBeUndefined();
    expect(all.get(A.refundsPayable)).toBe(-43300n);
  });

  it('refund on a partly paid invoice pays back only the overpayment; unpaid: no refund', () => {
    const partly = planCorrection(
      request({ kind: 'refund' }),
      invoice({ open: 10000n }),
      dispute,
      NOW,
    );
    expect(partly.map((d) => d.amount.minor)).toEqual([43300n, 33300n]);
    const unpaid = planCorrection(
      request({ kind: 'refund' }),
      invoice({ open: 2249435n }),
      dispute,
      NOW,
    );
    expect(unpaid.map((d) => d.kind)).toEqual(['credit_note']);
  });

  it('corrected invoice: replacement totals and a full void of the original', () => {
    const [doc] = planCorrection(request({ kind: 'corrected_invoice' }), invoice(), dispute, NOW);
    expect(doc!.replacement).toEqual({
      subtotal: 2038000n,
      tax: 168135n,
      total: 2206135n,
      correctionLine: -40000n,
    });
    expect(netByAccount(doc!.posting.lines).get(r)).toBe(-43300n);
    expect(doc!.posting.lines).toHaveLength(6);
    expect(doc!.details).toMatchObject({
      voidedInvoiceId: 'INV-1',
      correctedTotal: { amount: '22061.35' },
    });
  });

  it('debit note and write-off bill tax at the customer rate', () => {
    const facts = invoice({ customerTaxRate: '0.1' });
    const [debitNote] = planCorrection(
      request({
        kind: 'debit_note',
        amount: { amount: '110.00', currency: 'USD' },
      }),
      facts,
      dispute,
      NOW,
    );
    expect(debitNote!.tax.minor).toBe(1000n);
    expect(netByAccount(debitNote!.posting.lines).get(r)).toBe(11000n);
    const [writeOff] = planCorrection(
      request({ kind: 'write_off', amount: { amount: '11.00', currency: 'USD' } }),
      facts,
      dispute,
      NOW,
    );
    expect(netByAccount(writeOff!.posting.lines)).toEqual(
      new Map([
        [A.revenue, -1000n],
        [A.taxPayable, -100n],
        [A.writeOffs, 1100n],
      ]),
    );
  });

  it('payment plan: bills the amount and schedules installments that sum to it, every 30 days', () => {
    const [plan] = planCorrection(
      request({
        kind: 'payment_plan',
        amount: { amount: '100.00', currency: 'USD' },
        installments: 3,
        installmentsFrom: '2026-07-01T00:00:00Z',
      }),
      invoice(),
      dispute,
      NOW,
    );
    expect(plan!.installments?.map((i) => [i.number, i.dueOn, i.amount.minor])).toEqual([
      [1, '2026-07-31', 3334n],
      [2, '2026-08-30', 3333n],
      [3, '2026-09-29', 3333n],
    ]);
    expect(netByAccount(plan!.posting.lines).get(r)).toBe(10000n);
  });

  it('refuses what cannot be posted, permanently', () => {
    expect(
      problemOf(() =>
        planCorrection(
          request({ amount: { amount: '433.01', currency: 'USD' } }),
          invoice(),
          dispute,
          NOW,
        ),
      ),
    ).toBe('UnjustifiedCorrection');
    const malformed = request({ amount: { amount: '1,00', currency: 'USD' } });
    expect(problemOf(() => planCorrection(malformed, invoice(), dispute, NOW))).toBe(
      'InvalidCorrection',
    );
    // A manager's approval is on record, but never allows more than the discrepancy.
    expect(
      problemOf(() =>
        planCorrection(
          request({
            amount: { amount: '5000.00', currency: 'USD' },
            approvedBy: 'manager:dev-manager',
          }),
          invoice(),
          dispute,
          NOW,
        ),
      ),
    ).toBe('UnjustifiedCorrection');
    expect(
      problemOf(() =>
        planCorrection(
          request({ amount: { amount: '433.00', currency: 'EUR' } }),
          invoice(),
          dispute,
          NOW,
        ),
      ),
    ).toBe('InvalidCorrection');
    expect(
      problemOf(() =>
        planCorrection(
          request({ amount: { amount: '0.00', currency: 'USD' } }),
          invoice(),
          dispute,
          NOW,
        ),
      ),
    ).toBe('InvalidCorrection');
    expect(
      problemOf(() =>
        planCorrection(
          request({ amount: { amount: '1.001', currency: 'USD' } }),
          invoice(),
          dispute,
          NOW,
        ),
      ),
    ).toBe('InvalidCorrection');
    expect(
      problemOf(() => planCorrection(request(), invoice({ voided: true }), dispute, NOW)),
    ).toBe('InvalidCorrection');
    expect(
      problemOf(() => planCorrection(request({ customerId: 'C-2' }), invoice(), dispute, NOW)),
    ).toBe('InvalidCorrection');
    expect(
      problemOf(() => planCorrection(request(), invoice({ billed: 100n }), dispute, NOW)),
    ).toBe('InvalidCorrection');
    expect(
      problemOf(() =>
        planCorrection(
          request({
            kind: 'payment_plan',
            amount: { amount: '100.00', currency: 'USD' },
            installments: 0,
          }),
          invoice(),
          dispute,
          NOW,
        ),
      ),
    ).toBe('InvalidCorrection');
    expect(
      problemOf(() =>
        planCorrection(
          request({
            kind: 'payment_plan',
            amount: { amount: '100.00', currency: 'USD' },
            installments: null,
          }),
          invoice(),
          dispute,
          NOW,
        ),
      ),
    ).toBe('InvalidCorrection');
  });
});

describe('invoiceBalance', () => {
  const doc = (
    documentNumber: string,
    kind: PostedCorrection['kind'],
    amount: bigint,
    reverses?: string,
  ): PostedCorrection => ({ documentNumber, kind, amount, ...(reverses ? { reverses } : {}) });

  it('credits reduce what is billed, refunds reopen what was paid back', () => {
    expect(invoiceBalance(1000n, [1000n], [])).toEqual({ billed: 1000n, open: 0n });
    expect(invoiceBalance(1000n, [1000n], [doc('CN-1', 'credit_note', 100n)])).toEqual({
      billed: 900n,
      open: -100n,
    });
    expect(
      invoiceBalance(
        1000n,
        [1000n],
        [
          doc('CN-1', 'credit_note', 100n),
          doc('RF-1', 'refund', 100n),
          doc('DN-1', 'debit_note', 50n),
        ],
      ),
    ).toEqual({ billed: 950n, open: 50n });
  });

  it('a reversal takes its document back', () => {
    expect(
      invoiceBalance(
        1000n,
        [1000n],
        [
          doc('CN-1', 'credit_note', 100n),
          doc('RF-1', 'refund', 100n),
          doc('RV-1', 'reversal', 100n, 'RF-1'),
          doc('RV-2', 'reversal', 100n, 'CN-1'),
        ],
      ),
    ).toEqual({ billed: 1000n, open: 0n });
  });
});

describe('the guard: an invoice is never corrected beyond its discrepancy', () => {
  const usd = (amount: string): CorrectionRequest['amount'] => ({ amount, currency: 'USD' });

  it('refuses when the basis finds nothing to correct, whoever approved it', () => {
    const none = { discrepancy: 0n, corrected: 0n };
    expect(problemOf(() => planWith(request(), invoice(), dispute, NOW, none))).toBe(
      'UnjustifiedCorrection',
    );
    expect(
      problemOf(() =>
        planWith(
          request({ approvedBy: 'manager:m', basis: 'review' }),
          invoice(),
          dispute,
          NOW,
          none,
        ),
      ),
    ).toBe('UnjustifiedCorrection');
  });

  it('allows C + X up to D exactly, and counts what earlier corrections took', () => {
    const partly = { discrepancy: 43300n, corrected: 10000n };
    expect(
      problemOf(() =>
        planWith(request({ amount: usd('333.00') }), invoice(), dispute, NOW, partly),
      ),
    ).toBe('none');
    let message = '';
    try {
      planWith(request({ amount: usd('333.01') }), invoice(), dispute, NOW, partly);
    } catch (error) {
      message = (error as CorrectionError).message;
    }
    expect(message).toBe(
      'credit_note of 333.01 USD exceeds what is left to correct on INV-1: the investigation rules ' +
        'find it overcharged by 433.00 and corrections of 100.00 are already posted, so at most ' +
        '333.00 can still be credited',
    );
    const done = { discrepancy: 43300n, corrected: 43300n };
    expect(
      problemOf(() => planWith(request({ amount: usd('0.01') }), invoice(), dispute, NOW, done)),
    ).toBe('UnjustifiedCorrection');
  });

  it('bounds undercharges the same way: debits never exceed what was undercharged', () => {
    const under = { discrepancy: -11000n, corrected: -5000n };
    const debit = (amount: string): CorrectionRequest =>
      request({ kind: 'debit_note', amount: usd(amount) });
    expect(problemOf(() => planWith(debit('60.00'), invoice(), dispute, NOW, under))).toBe('none');
    expect(problemOf(() => planWith(debit('60.01'), invoice(), dispute, NOW, under))).toBe(
      'UnjustifiedCorrection',
    );
    // A write-off settles an undercharge like a debit note (counted negative, see correction-effect.ts).
    const writeOff = request({ kind: 'write_off', amount: usd('60.01') });
    expect(problemOf(() => planWith(writeOff, invoice(), dispute, NOW, under))).toBe(
      'UnjustifiedCorrection',
    );
  });

  it('records D, C before and the document’s own effect on every document', () => {
    const guard = { discrepancy: 43300n, corrected: 1000n };
    const [credit, refund] = planWith(
      request({ kind: 'refund', amount: usd('100.00') }),
      invoice(),
      dispute,
      NOW,
      guard,
    );
    expect(credit!.details.guard).toEqual({
      basis: 'rules',
      discrepancy: usd('433.00'),
      correctedBefore: usd('10.00'),
      effect: usd('100.00'),
    });
    expect(refund!.details.guard).toEqual({
      basis: 'rules',
      discrepancy: usd('433.00'),
      correctedBefore: usd('110.00'),
      effect: usd('0.00'),
    });
    expect(credit!.details).not.toHaveProperty('justified');
  });
});

describe('directions: each remedy moves money the way the discrepancy says', () => {
  const usd = (amount: string): CorrectionRequest['amount'] => ({ amount, currency: 'USD' });
  const over = { discrepancy: 43300n, corrected: 0n };
  const under = { discrepancy: -43300n, corrected: 0n };
  const installments = (kind: CorrectionRequest['kind']): number | null =>
    kind === 'payment_plan' ? 3 : null;

  it.each(['debit_note', 'write_off', 'payment_plan'] as const)(
    '%s does not correct an overcharge',
    (kind) => {
      const req = request({ kind, amount: usd('100.00'), installments: installments(kind) });
      expect(problemOf(() => planWith(req, invoice(), dispute, NOW, over))).toBe(
        'InvalidCorrection',
      );
      expect(problemOf(() => planWith(req, invoice(), dispute, NOW, under))).toBe('none');
    },
  );

  it.each(['credit_note', 'refund'] as const)('%s does not correct an undercharge', (kind) => {
    const req = request({ kind, amount: usd('100.00') });
    expect(problemOf(() => planWith(req, invoice(), dispute, NOW, under))).toBe(
      'InvalidCorrection',
    );
    expect(problemOf(() => planWith(req, invoice(), dispute, NOW, over))).toBe('none');
  });

  it('a corrected invoice raises the total for an undercharge: a positive correction line', () => {
    const req = request({ kind: 'corrected_invoice', amount: usd('108.25') });
    const [raised] = planWith(req, invoice(), dispute, NOW, under);
    expect(raised!.replacement).toEqual({
      subtotal: 2078000n + 10000n,
      tax: 171435n + 825n,
      total: 2249435n + 10825n,
      correctionLine: 10000n,
    });
    // The original is voided and the higher replacement issued: the receivable goes up.
    expect(netByAccount(raised!.posting.lines)).toEqual(
      new Map([
        [A.revenue, -10000n],
        [r, 10825n],
        [A.taxPayable, -825n],
      ]),
    );
    expect(raised!.details).toMatchObject({
      originalTotal: usd('22494.35'),
      correctedTotal: usd('22602.60'),
      guard: { effect: usd('-108.25') },
    });
    const [lowered] = planWith(req, invoice(), dispute, NOW, over);
    expect(lowered!.replacement?.total).toBe(2249435n - 10825n);
    expect(lowered!.details).toMatchObject({ guard: { effect: usd('108.25') } });
  });
});

import { describe, expect, it } from 'vitest';
import {
  adjustmentKey,
  CorrectionError,
  documentsOf,
  formatDocumentNumber,
  type CorrectionRequest,
} from '../../domain/ledger/correction';
import { invoiceBalance, type InvoiceFacts } from '../../domain/ledger/correction-checks';
import { planCorrection } from '../../domain/ledger/correction-plan';
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
  justified: { amount: '433.00', currency: 'USD' },
  ...overrides,
});
const NOW = Date.parse('2026-06-01T10:00:00Z');
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
      creditLine: 40000n,
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
        justified: { amount: '110.00', currency: 'USD' },
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
        justified: { amount: '100.00', currency: 'USD' },
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
    expect(
      problemOf(() => planCorrection(request({ justified: null }), invoice(), dispute, NOW)),
    ).toBe('UnjustifiedCorrection');
    const malformed = request({ justified: { amount: '1,00', currency: 'USD' } });
    expect(problemOf(() => planCorrection(malformed, invoice(), dispute, NOW))).toBe(
      'InvalidCorrection',
    );
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
    ).toBe('none');
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
      problemOf(() =>
        planCorrection(request({ approvedBy: 'm' }), invoice({ billed: 100n }), dispute, NOW),
      ),
    ).toBe('InvalidCorrection');
    expect(
      problemOf(() =>
        planCorrection(request({ kind: 'payment_plan', installments: 0 }), invoice(), dispute, NOW),
      ),
    ).toBe('InvalidCorrection');
    expect(
      problemOf(() =>
        planCorrection(
          request({ kind: 'payment_plan', installments: null }),
          invoice(),
          dispute,
          NOW,
        ),
      ),
    ).toBe('InvalidCorrection');
  });
});

describe('invoiceBalance', () => {
  it('credits reduce what is billed, refunds reopen what was paid back', () => {
    expect(invoiceBalance(1000n, [1000n], [])).toEqual({ billed: 1000n, open: 0n });
    expect(invoiceBalance(1000n, [1000n], [{ kind: 'credit_note', amount: 100n }])).toEqual({
      billed: 900n,
      open: -100n,
    });
    expect(
      invoiceBalance(
        1000n,
        [1000n],
        [
          { kind: 'credit_note', amount: 100n },
          { kind: 'refund', amount: 100n },
          { kind: 'debit_note', amount: 50n },
        ],
      ),
    ).toEqual({ billed: 950n, open: 50n });
  });
});

// Random sequences of imports, re-imports, payments, corrections, reversals (and retries of
// them): the ledger's invariants hold after every step, and no invoice family is ever corrected
// beyond its discrepancy.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORRECTION_KINDS, type CorrectionKind } from '../../domain/ledger/correction';
import { parseDecimal, pow10, roundQuotient } from '../../domain/decimal';
import { isBalanced } from '../../domain/ledger/accounts';
import { checkLedger } from '../../domain/ledger/invariants';
import { money, toMoneyDto } from '../../domain/money';
import { withinDiscrepancy } from '../../domain/ledger/correction-effect';
import { Books, type ModelCustomer } from './ledger-model';

const CUSTOMERS: ModelCustomer[] = [
  { id: 'C-1', taxRate: '0.0825' },
  { id: 'C-2', taxRate: '0.2' },
  { id: 'C-3', taxRate: '0' },
];
const RATES = ['0.0825', '0.2', '0', '0.07'];

type Op =
  | {
      type: 'invoice';
      n: number;
      customer: number;
      subtotal: bigint;
      rate: number;
      typo: bigint;
      discrepancy: bigint;
    }
  | { type: 'payment'; n: number; invoice: number; amount: bigint; inFull: boolean }
  | {
      type: 'correction';
      invoice: number;
      kind: CorrectionKind;
      amount: bigint;
      approved: boolean;
      installments: number;
    }
  | { type: 'reversal'; which: number }
  | { type: 'retry'; which: number };

const minor = (max: number): fc.Arbitrary<bigint> => fc.bigInt({ min: 1n, max: BigInt(max) });

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    type: fc.constant('invoice' as const),
    n: fc.nat(5),
    customer: fc.nat(CUSTOMERS.length - 1),
    subtotal: minor(5_000_000),
    rate: fc.nat(RATES.length - 1),
    // Now and then an invoice whose own arithmetic is off by a few cents.
    typo: fc.oneof(fc.constant(0n), fc.bigInt({ min: -5n, max: 5n })),
    // What the rules find on it: mostly an error either way, sometimes none.
    discrepancy: fc.oneof(fc.constant(0n), fc.bigInt({ min: -800_000n, max: 800_000n })),
  }),
  fc.record({
    type: fc.constant('payment' as const),
    n: fc.nat(5),
    invoice: fc.nat(5),
    amount: minor(6_000_000),
    inFull: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('correction' as const),
    invoice: fc.nat(7),
    kind: fc.constantFrom(...CORRECTION_KINDS),
    amount: minor(400_000),
    // Approved or not, nothing may exceed the discrepancy.
    approved: fc.boolean(),
    installments: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({ type: fc.constant('reversal' as const), which: fc.nat(20) }),
  fc.record({ type: fc.constant('retry' as const), which: fc.nat(20) }),
);

describe('ledger invariants under random sequences', () => {
  it('every posting balances and every customer receivable matches its documents, after each step', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const books = new Books(CUSTOMERS);
        const requests: Parameters<Books['correct']>[0][] = [];
        for (const [step, o] of ops.entries()) {
          const invoiceIds = [...books.invoices.keys()];
          if (o.type === 'invoice') {
            const customer = CUSTOMERS[o.customer]!;
            const rate = RATES[o.rate]!;
            const r = parseDecimal(rate);
            const tax = roundQuotient(o.subtotal * r.coefficient, pow10(r.scale));
            books.importInvoice({
              id: `INV-${o.n}`,
              customerId: customer.id,
              currency: 'USD',
              subtotal: o.subtotal,
              tax,
              total: o.subtotal + tax + o.typo,
              taxRate: rate,
              discrepancy: o.discrepancy,
            });
          } else if (o.type === 'payment') {
            const invoice = books.invoices.get(
              invoiceIds[o.invoice % Math.max(invoiceIds.length, 1)] ?? '',
            );
            if (!invoice) continue;
            books.importPayment({
              id: `PAY-${o.n}`,
              customerId: invoice.customerId,
              invoiceId: invoice.id,
              currency: 'USD',
              amount: o.inFull ? invoice.total : o.amount,
            });
          } else if (o.type === 'correction') {
            const invoice = books.invoices.get(
              invoiceIds[o.invoice % Math.max(invoiceIds.length, 1)] ?? '',
            );
            if (!invoice) continue;
            const request = {
              disputeId: `D-${step}`,
              customerId: invoice.customerId,
              invoiceId: invoice.id,
              kind: o.kind,
              amount: toMoneyDto(money(o.amount, 'USD')),
              installments: o.kind === 'payment_plan' ? o.installments : null,
              step: 'correction.1',
              approvedBy: o.approved ? 'manager:dev-manager' : null,
              basis: 'rules' as const,
            };
            // Only posted corrections are retried: a refused one may fit once the invoice changes.
            if ('posted' in books.correct(request)) requests.push(request);
          } else if (o.type === 'reversal') {
            const corrections = books.adjustments.filter((a) => a.kind !== 'reversal');
            const target = corrections[o.which % Math.max(corrections.length, 1)];
            if (!target) continue;
            const reversal = {
              disputeId: target.disputeId,
              customerId: target.customerId,
              invoiceId: target.invoiceId,
              documentNumber: target.documentNumber,
              step: `reversal.${step}`,
              reason: 'posted by mistake',
              reversedBy: 'manager:dev-manager',
            };
            const before = books.postings.length;
            const outcome = books.reverse(reversal);
            if ('posted' in outcome) {
              // A retry of the reversal posts nothing; a second reversal of it is refused.
              expect(books.reverse(reversal)).toEqual(outcome);
              expect(books.reverse({ ...reversal, step: `again.${step}` })).toEqual({
                refused: 'InvalidCorrection',
              });
            } else {
              expect(outcome).toEqual({ refused: 'InvalidCorrection' });
              expect(books.postings.length).toBe(before);
            }
          } else {
            const request = requests[o.which % Math.max(requests.length, 1)];
            if (!request) continue;
            const before = books.postings.length;
            const first = books.adjustments.filter((a) =>
              a.key.startsWith(`correction:${request.disputeId}:`),
            );
            expect(books.correct(request)).toEqual({ posted: first.map((a) => a.documentNumber) });
            expect(books.postings.length).toBe(before);
          }
          for (const posting of books.postings) expect(isBalanced(posting.lines)).toBe(true);
          expect(checkLedger(books.snapshot()).violations).toEqual([]);
          for (const invoice of books.invoices.values()) {
            if (invoice.replaces) continue;
            expect(withinDiscrepancy(books.corrected(invoice.id), invoice.discrepancy)).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the check does catch a broken ledger', () => {
    const books = new Books(CUSTOMERS);
    books.importInvoice({
      id: 'INV-1',
      customerId: 'C-1',
      currency: 'USD',
      subtotal: 1000n,
      tax: 83n,
      total: 1083n,
      taxRate: '0.0825',
    });
    books.postings[0]!.lines = books.postings[0]!.lines.slice(1);
    const rules = checkLedger(books.snapshot()).violations.map((v) => v.rule);
    expect(rules).toEqual(['unbalanced_posting', 'document_not_posted', 'receivable_mismatch']);
  });

  it('the check catches a correction beyond its discrepancy and a reversal that does not mirror', () => {
    const books = new Books(CUSTOMERS);
    books.importInvoice({
      id: 'INV-1',
      customerId: 'C-1',
      currency: 'USD',
      subtotal: 100_000n,
      tax: 8250n,
      total: 108_250n,
      taxRate: '0.0825',
      discrepancy: 10_825n,
    });
    const request = {
      disputeId: 'D-1',
      customerId: 'C-1',
      invoiceId: 'INV-1',
      kind: 'credit_note' as const,
      amount: toMoneyDto(money(10_825n, 'USD')),
      installments: null,
      step: 'correction.1',
      approvedBy: null,
      basis: 'rules' as const,
    };
    expect(books.correct(request)).toEqual({ posted: ['CN-000001'] });
    expect(books.correct({ ...request, disputeId: 'D-2' })).toEqual({
      refused: 'UnjustifiedCorrection',
    });
    expect(checkLedger(books.snapshot()).violations).toEqual([]);

    // A document written past the guard (recorded as if nothing had been corrected before it).
    const forged = {
      ...books.adjustments[0]!,
      documentNumber: 'CN-000099',
      key: 'forged',
      order: 1,
    };
    books.adjustments.push(forged);
    books.postings.push({ ...books.postings.at(-1)!, id: 'forged', key: 'forged' });
    const forgedRules = checkLedger(books.snapshot()).violations.map((v) => [v.rule, v.subject]);
    expect(forgedRules).toContainEqual(['correction_exceeds_discrepancy', 'CN-000099']);
    books.adjustments.pop();
    books.postings.pop();

    expect(
      books.reverse({
        disputeId: 'D-1',
        customerId: 'C-1',
        invoiceId: 'INV-1',
        documentNumber: 'CN-000001',
        step: 'reversal.1',
        reason: 'wrong line',
        reversedBy: 'manager:m',
      }),
    ).toEqual({ posted: ['RV-000001'] });
    expect(checkLedger(books.snapshot()).violations).toEqual([]);
    // A reversal whose posting does not mirror its original.
    const reversal = books.postings.at(-1)!;
    reversal.lines = reversal.lines.map((l) => ({ ...l, amount: l.amount * 2n }));
    const rules = checkLedger(books.snapshot()).violations.map((v) => [v.rule, v.subject]);
    expect(rules).toContainEqual(['reversal_mismatch', 'RV-000001']);
  });
});

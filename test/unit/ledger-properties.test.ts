// Random sequences of imports, re-imports, payments and corrections (and retries of them): the
// ledger's invariants hold after every step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORRECTION_KINDS, type CorrectionKind } from '../../domain/ledger/correction';
import { parseDecimal, pow10, roundQuotient } from '../../domain/decimal';
import { isBalanced } from '../../domain/ledger/accounts';
import { checkLedger } from '../../domain/ledger/invariants';
import { formatAmount, money, toMoneyDto } from '../../domain/money';
import { Books, type ModelCustomer } from './ledger-model';

const CUSTOMERS: ModelCustomer[] = [
  { id: 'C-1', taxRate: '0.0825' },
  { id: 'C-2', taxRate: '0.2' },
  { id: 'C-3', taxRate: '0' },
];
const RATES = ['0.0825', '0.2', '0', '0.07'];

type Op =
  | { type: 'invoice'; n: number; customer: number; subtotal: bigint; rate: number; typo: bigint }
  | { type: 'payment'; n: number; invoice: number; amount: bigint; inFull: boolean }
  | {
      type: 'correction';
      invoice: number;
      kind: CorrectionKind;
      amount: bigint;
      over: bigint;
      approved: boolean;
      installments: number;
    }
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
    amount: minor(1_000_000),
    // The agreed amount minus what the findings justify: above zero needs an approval.
    over: fc.bigInt({ min: -1000n, max: 1000n }),
    approved: fc.boolean(),
    installments: fc.integer({ min: 1, max: 12 }),
  }),
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
            const justified = o.amount - o.over;
            const request = {
              disputeId: `D-${step}`,
              customerId: invoice.customerId,
              invoiceId: invoice.id,
              kind: o.kind,
              amount: toMoneyDto(money(o.amount, 'USD')),
              installments: o.kind === 'payment_plan' ? o.installments : null,
              step: 'correction.1',
              approvedBy: o.approved ? 'manager:dev-manager' : null,
              justified:
                justified > 0n
                  ? { amount: formatAmount(money(justified, 'USD')), currency: 'USD' }
                  : null,
            };
            // Only posted corrections are retried: a refused one may fit once the invoice changes.
            if ('posted' in books.correct(request)) requests.push(request);
          } else {
            const request = requests[o.which % Math.max(requests.length, 1)];
            if (!request) continue;
            const before = books.postings.length;
            const first = books.adjustments.filter((a) => a.disputeId === request.disputeId);
            expect(books.correct(request)).toEqual({ posted: first.map((a) => a.documentNumber) });
            expect(books.postings.length).toBe(before);
          }
          for (const posting of books.postings) expect(isBalanced(posting.lines)).toBe(true);
          expect(checkLedger(books.snapshot()).violations).toEqual([]);
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
});

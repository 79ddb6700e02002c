import { describe, expect, it } from 'vitest';
import {
  accountType,
  COMPANY_ACCOUNTS as A,
  credit,
  debit,
  draftPosting,
  isBalanced,
  LedgerError,
  netByAccount,
  receivableAccount,
  receivableCustomer,
  type PostingDraft,
} from '../../domain/ledger/accounts';
import {
  documentOfKey,
  invoiceDocument,
  netEffect,
  paymentDocument,
  reviseDocument,
  type BookedPosting,
  type KeyedPosting,
} from '../../domain/ledger/documents';
import {
  correctedInvoiceLines,
  creditNoteLines,
  debitNoteLines,
  invoiceLines,
  paymentLines,
  refundLines,
  writeOffLines,
} from '../../domain/ledger/postings';
import { splitTax } from '../../domain/ledger/tax';
import { money, parseAmount } from '../../domain/money';

const usd = (amount: string): ReturnType<typeof money> => parseAmount(amount, 'USD');

describe('chart of accounts', () => {
  it('names a receivable per customer and types every account', () => {
    expect(receivableAccount('C-100')).toBe('receivable:C-100');
    expect(receivableCustomer('receivable:C-100')).toBe('C-100');
    expect(receivableCustomer('revenue')).toBeNull();
    expect(accountType('receivable:C-1')).toBe('asset');
    expect(accountType(A.taxPayable)).toBe('liability');
    expect(accountType(A.contraRevenue)).toBe('contra_revenue');
    expect(accountType(A.writeOffs)).toBe('expense');
    expect(() => accountType('petty_cash')).toThrow(LedgerError);
  });
});

describe('splitTax', () => {
  it.each([
    ['1082.50', '0.0825', '1000.00', '82.50'],
    ['400.00', '0.0825', '369.52', '30.48'],
    ['100.00', '0', '100.00', '0.00'],
    ['120.00', '0.2', '100.00', '20.00'],
    // 0.03 × 0.2 / 1.2 = 0.005: exactly half a cent rounds away from zero.
    ['0.03', '0.2', '0.02', '0.01'],
    // 0.01 × 0.2 / 1.2 = 0.00166…: rounds to zero.
    ['0.01', '0.2', '0.01', '0.00'],
  ])('%s at %s → net %s + tax %s', (gross, rate, net, tax) => {
    const split = splitTax(usd(gross), rate);
    expect(split.net).toEqual(usd(net));
    expect(split.tax).toEqual(usd(tax));
    expect(split.net.minor + split.tax.minor).toBe(usd(gross).minor);
  });

  it('rounds half away from zero for negative amounts too', () => {
    expect(splitTax(usd('-0.03'), '0.2').tax).toEqual(usd('-0.01'));
  });

  it('works in currencies without minor units', () => {
    expect(splitTax(money(1100n, 'JPY'), '0.1')).toMatchObject({
      net: money(1000n, 'JPY'),
      tax: money(100n, 'JPY'),
    });
  });

  it('refuses a negative rate', () => {
    expect(() => splitTax(usd('1.00'), '-0.1')).toThrow(LedgerError);
  });
});

describe('posting builders', () => {
  const split = splitTax(usd('1082.50'), '0.0825');
  const c = 'C-1';
  const r = receivableAccount(c);

  it('books an invoice: receivable = total, revenue = total − tax, tax payable = tax', () => {
    expect(invoiceLines({ customerId: c, total: 108250n, tax: 8250n })).toEqual([
      debit(r, 108250n),
      credit(A.revenue, 100000n),
      credit(A.taxPayable, 8250n),
    ]);
  });

  it('books a credit note through contra-revenue with tax split out', () => {
    expect(creditNoteLines(c, split)).toEqual([
      debit(A.contraRevenue, 100000n),
      debit(A.taxPayable, 8250n),
      credit(r, 108250n),
    ]);
  });

  it('books a write-off as billed and written off: the receivable nets to zero', () => {
    const net = netByAccount(writeOffLines(c, split));
    expect(net.get(r)).toBeUndefined();
    expect(net.get(A.writeOffs)).toBe(108250n);
    expect(net.get(A.revenue)).toBe(-100000n);
    expect(net.get(A.taxPayable)).toBe(-8250n);
  });

  it('books a corrected invoice as a full void plus the replacement', () => {
    const lines = correctedInvoiceLines(
      { customerId: c, total: 500000n, tax: 38106n },
      { customerId: c, total: 391750n, tax: 29856n },
    );
    const net = netByAccount(lines);
    expect(net.get(r)).toBe(-108250n);
    expect(net.get(A.revenue)).toBe(100000n);
    expect(net.get(A.taxPayable)).toBe(8250n);
    expect(lines).toHaveLength(6);
  });

  it('every builder balances', () => {
    for (const lines of [
      invoiceLines({ customerId: c, total: 123n, tax: 9n }),
      paymentLines(c, 77n),
      creditNoteLines(c, split),
      refundLines(c, 5n),
      debitNoteLines(c, split),
      writeOffLines(c, split),
    ]) {
      expect(isBalanced(lines)).toBe(true);
    }
  });

  it('draftPosting drops zero lines and refuses unbalanced, empty or unknown-account postings', () => {
    const zeroTax = splitTax(usd('10.00'), '0');
    expect(draftPosting(c, 'USD', 'x', creditNoteLines(c, zeroTax)).lines).toHaveLength(2);
    expect(() => draftPosting(c, 'USD', 'x', [debit(r, 1n)])).toThrow(/off by 1/);
    expect(() => draftPosting(c, 'USD', 'x', [debit(r, 0n)])).toThrow(/no non-zero line/);
    expect(() => draftPosting(c, 'USD', 'x', [debit('bank', 1n), credit(r, 1n)])).toThrow(
      /unknown account/,
    );
  });
});

describe('imported documents', () => {
  const doc = invoiceDocument('INV-1');
  const draft = (total: bigint, tax: bigint, customerId = 'C-1'): PostingDraft =>
    draftPosting(customerId, 'USD', 'Invoice INV-1', invoiceLines({ customerId, total, tax }));
  const booked = (posting: KeyedPosting): BookedPosting => ({
    key: posting.key,
    lines: posting.lines.map((l) => ({
      ...l,
      customerId: posting.customerId,
      currency: posting.currency,
    })),
  });

  it('encodes ids so a `#` in an id cannot look like a revision', () => {
    expect(invoiceDocument('INV#r2')).toBe('invoice:INV%23r2');
    expect(invoiceDocument('100%#')).toBe('invoice:100%25%23');
    expect(invoiceDocument('A:\ud800 b')).toBe('invoice:A:\ud800 b');
    expect(paymentDocument('PAY-1')).toBe('payment:PAY-1');
    expect(documentOfKey('invoice:INV-1#r3#reversal')).toBe('invoice:INV-1');
  });

  it('posts once, then nothing while the amounts stay the same', () => {
    const first = reviseDocument(doc, [], draft(1083n, 83n));
    expect(first.map((p) => p.key)).toEqual(['invoice:INV-1']);
    expect(reviseDocument(doc, first.map(booked), draft(1083n, 83n))).toEqual([]);
  });

  it('a change reverses the current effect and posts the next revision; never edits', () => {
    const history = reviseDocument(doc, [], draft(1083n, 83n)).map(booked);
    const second = reviseDocument(doc, history, draft(2166n, 166n));
    expect(second.map((p) => p.key)).toEqual(['invoice:INV-1#reversal', 'invoice:INV-1#r2']);
    expect(netByAccount(second[0]!.lines).get('receivable:C-1')).toBe(-1083n);
    history.push(...second.map(booked));
    // Back to the first amounts, and to another customer: each change is a new revision.
    const third = reviseDocument(doc, history, draft(1083n, 83n, 'C-2'));
    expect(third.map((p) => [p.key, p.customerId])).toEqual([
      ['invoice:INV-1#r2#reversal', 'C-1'],
      ['invoice:INV-1#r3', 'C-2'],
    ]);
    history.push(...third.map(booked));
    expect(netEffect(history.flatMap((p) => p.lines))).toEqual(
      netEffect(booked({ ...draft(1083n, 83n, 'C-2'), key: 'x' }).lines),
    );
  });
});

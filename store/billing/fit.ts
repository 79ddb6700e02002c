// What a bundle may not do to the records already stored, whatever it says about itself: use a
// number Settle issues its own documents under, bill in another currency than its customer's
// (stored or imported), or move an invoice under an open dispute to another customer or currency.
import type { Bundle } from '../../domain/bundle';
import { isSettleDocumentNumber } from '../../domain/ledger/correction';
import { jsonPath, type Problem } from '../../domain/errors';
import type { Db } from '../db';

/** Settle's numbers (CI-000012, CN-…, RV-…) are reserved: its corrected invoices live among invoices. */
function reservedIds(bundle: Bundle): Problem[] {
  return bundle.invoices.flatMap((invoice, n) =>
    isSettleDocumentNumber(invoice.id)
      ? [
          {
            path: jsonPath(['invoices', n, 'id']),
            message: `${invoice.id} is a Settle document number; imported invoices cannot use one`,
          },
        ]
      : [],
  );
}

/**
 * Invoices and payments bill in their customer's currency, the customer's stored one when the
 * bundle does not carry it (the schema checks those it does); a customer's currency cannot change
 * under stored invoices the bundle does not re-import in the new one.
 */
async function currencies(db: Db, bundle: Bundle): Promise<Problem[]> {
  const inBundle = new Map(bundle.customers.map((c) => [c.id, c.currency]));
  const outside = [
    ...new Set(
      [...bundle.invoices, ...bundle.payments]
        .map((r) => r.customerId)
        .filter((id) => !inBundle.has(id)),
    ),
  ];
  const [stored, changing] = await Promise.all([
    db.customer.findMany({ where: { id: { in: outside } }, select: { id: true, currency: true } }),
    db.customer.findMany({
      where: { id: { in: [...inBundle.keys()] } },
      select: { id: true, currency: true },
    }),
  ]);
  const storedCurrency = new Map(stored.map((c) => [c.id, c.currency]));
  const problems: Problem[] = [];
  for (const name of ['invoices', 'payments'] as const) {
    bundle[name].forEach((record, n) => {
      const code = storedCurrency.get(record.customerId);
      if (code !== undefined && code !== record.currency)
        problems.push({
          path: jsonPath([name, n, 'currency']),
          message: `must be ${code}, the currency of customer ${record.customerId}`,
        });
    });
  }
  const reimported = new Set(bundle.invoices.map((i) => i.id));
  for (const customer of changing) {
    const code = inBundle.get(customer.id)!;
    if (customer.currency === code) continue;
    const left = await db.invoice.findMany({
      where: { customerId: customer.id, currency: { not: code } },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    const billed = left.map((i) => i.id).filter((id) => !reimported.has(id));
    if (billed.length > 0)
      problems.push({
        path: jsonPath([
          'customers',
          bundle.customers.findIndex((c) => c.id === customer.id),
          'currency',
        ]),
        message: `customer ${customer.id} has invoices in ${customer.currency} (${billed.slice(0, 5).join(', ')}${billed.length > 5 ? ', …' : ''}); its currency cannot become ${code}`,
      });
  }
  return problems;
}

/** An invoice under an open dispute keeps its customer and currency until the dispute closes. */
async function disputedInvoices(db: Db, bundle: Bundle): Promise<Problem[]> {
  if (bundle.invoices.length === 0) return [];
  const stored = await db.invoice.findMany({
    where: { id: { in: bundle.invoices.map((i) => i.id) } },
    select: { id: true, customerId: true, currency: true },
  });
  const byId = new Map(stored.map((i) => [i.id, i]));
  const moved = bundle.invoices.flatMap((invoice, n) => {
    const was = byId.get(invoice.id);
    if (!was) return [];
    const fields = (['customerId', 'currency'] as const).filter((f) => was[f] !== invoice[f]);
    return fields.length > 0 ? [{ invoice, n, was, fields }] : [];
  });
  if (moved.length === 0) return [];
  const open = await db.dispute.findMany({
    where: { invoiceId: { in: moved.map((m) => m.invoice.id) }, phase: { not: 'closed' } },
    select: { id: true, invoiceId: true },
    orderBy: { openedAt: 'asc' },
  });
  return moved.flatMap(({ invoice, n, was, fields }) => {
    const dispute = open.find((d) => d.invoiceId === invoice.id);
    if (!dispute) return [];
    return fields.map((field) => ({
      path: jsonPath(['invoices', n, field]),
      message: `invoice ${invoice.id} has open dispute ${dispute.id}: its ${field === 'customerId' ? 'customer' : 'currency'} stays ${was[field]} until the dispute is closed`,
    }));
  });
}

/** Everything the bundle may not do to the stored records, with paths; empty when it fits. */
export async function storedRecordProblems(db: Db, bundle: Bundle): Promise<Problem[]> {
  const [currency, disputed] = await Promise.all([
    currencies(db, bundle),
    disputedInvoices(db, bundle),
  ]);
  return [...reservedIds(bundle), ...currency, ...disputed];
}

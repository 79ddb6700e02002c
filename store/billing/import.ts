// Imports one bundle (POST /v1/import and `npm run import`): validate every record, check every
// reference against the bundle and the database and that the bundle fits what is stored (fit.ts),
// then upsert all of it in one transaction.
import type { z } from 'zod';
import { saveBillingRecords, type ImportCounts } from './records';
import {
  bundleSchema,
  bundleToRecords,
  BundleReferenceError,
  type Bundle,
} from '../../domain/bundle';
import type { Db } from '../db';
import { invalidInput, jsonPath, unprocessable } from '../../domain/errors';
import { storedRecordProblems } from './fit';
import { storageIssues } from './storable';

type Path = (string | number)[];
interface Problem {
  path: string;
  message: string;
}

const issuesOf = (error: z.ZodError): Problem[] =>
  error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message }));

/** Every id the bundle refers to must be in the bundle or already in the database. */
async function checkReferences(db: Db, bundle: Bundle): Promise<Problem[]> {
  const problems: Problem[] = [];
  const inBundle = {
    customers: new Set(bundle.customers.map((c) => c.id)),
    contracts: new Set(bundle.contracts.map((c) => c.id)),
    purchaseOrders: new Map(
      bundle.purchaseOrders.map((p) => [p.id, new Set(p.lines.map((l) => l.id))]),
    ),
    invoices: new Set(bundle.invoices.map((i) => i.id)),
  };
  const missing = <T>(set: Set<T> | Map<T, unknown>, id: T): boolean => !set.has(id);
  const want = {
    customers: new Set<string>(),
    contracts: new Set<string>(),
    purchaseOrders: new Set<string>(),
    invoices: new Set<string>(),
  };
  const refs: { kind: keyof typeof want; id: string; path: Path }[] = [];
  const ref = (kind: keyof typeof want, id: string, path: Path): void => {
    if (missing(inBundle[kind], id)) {
      want[kind].add(id);
      refs.push({ kind, id, path });
    }
  };
  bundle.contracts.forEach((c, n) =>
    ref('customers', c.customerId, ['contracts', n, 'customerId']),
  );
  bundle.purchaseOrders.forEach((p, n) => {
    ref('customers', p.customerId, ['purchaseOrders', n, 'customerId']);
    ref('contracts', p.contractId, ['purchaseOrders', n, 'contractId']);
  });
  bundle.deliveries.forEach((d, n) =>
    ref('purchaseOrders', d.purchaseOrderId, ['deliveries', n, 'purchaseOrderId']),
  );
  bundle.invoices.forEach((i, n) => {
    ref('customers', i.customerId, ['invoices', n, 'customerId']);
    ref('purchaseOrders', i.purchaseOrderId, ['invoices', n, 'purchaseOrderId']);
  });
  bundle.payments.forEach((p, n) => {
    ref('customers', p.customerId, ['payments', n, 'customerId']);
    ref('invoices', p.invoiceId, ['payments', n, 'invoiceId']);
  });

  const [customers, contracts, purchaseOrders, invoices] = await Promise.all([
    db.customer.findMany({ where: { id: { in: [...want.customers] } }, select: { id: true } }),
    db.contract.findMany({ where: { id: { in: [...want.contracts] } }, select: { id: true } }),
    db.purchaseOrder.findMany({
      where: { id: { in: [...want.purchaseOrders] } },
      select: { id: true, lines: { select: { id: true } } },
    }),
    db.invoice.findMany({ where: { id: { in: [...want.invoices] } }, select: { id: true } }),
  ]);
  const inDb = {
    customers: new Set(customers.map((c) => c.id)),
    contracts: new Set(contracts.map((c) => c.id)),
    purchaseOrders: new Set(purchaseOrders.map((p) => p.id)),
    invoices: new Set(invoices.map((i) => i.id)),
  };
  const names = {
    customers: 'customer',
    contracts: 'contract',
    purchaseOrders: 'purchase order',
    invoices: 'invoice',
  };
  for (const r of refs) {
    if (!inDb[r.kind].has(r.id)) {
      problems.push({ path: jsonPath(r.path), message: `${names[r.kind]} ${r.id} does not exist` });
    }
  }

  // PO lines named by deliveries and invoice lines must belong to that purchase order.
  const poLines = new Map<string, Set<string>>(inBundle.purchaseOrders);
  for (const p of purchaseOrders) poLines.set(p.id, new Set(p.lines.map((l) => l.id)));
  const checkLine = (poId: string, lineId: string, path: Path): void => {
    const lines = poLines.get(poId);
    if (lines && !lines.has(lineId)) {
      problems.push({
        path: jsonPath(path),
        message: `PO line ${lineId} is not on purchase order ${poId}`,
      });
    }
  };
  bundle.deliveries.forEach((d, n) =>
    d.lines.forEach((l, i) =>
      checkLine(d.purchaseOrderId, l.poLineId, ['deliveries', n, 'lines', i, 'poLineId']),
    ),
  );
  bundle.invoices.forEach((inv, n) =>
    inv.lines.forEach((l, i) =>
      checkLine(inv.purchaseOrderId, l.poLineId, ['invoices', n, 'lines', i, 'poLineId']),
    ),
  );
  problems.push(...(await foreignLineIds(db, bundle)));
  return problems;
}

/** Line ids are unique across documents: a line id may not move from one document to another. */
async function foreignLineIds(db: Db, bundle: Bundle): Promise<Problem[]> {
  const invoiceLines = bundle.invoices.flatMap((inv, n) =>
    inv.lines.map((l, i) => ({
      id: l.id,
      owner: inv.id,
      path: ['invoices', n, 'lines', i, 'id'] as Path,
    })),
  );
  const poLines = bundle.purchaseOrders.flatMap((po, n) =>
    po.lines.map((l, i) => ({
      id: l.id,
      owner: po.id,
      path: ['purchaseOrders', n, 'lines', i, 'id'] as Path,
    })),
  );
  const [storedInvoiceLines, storedPoLines] = await Promise.all([
    db.invoiceLine.findMany({
      where: { id: { in: invoiceLines.map((l) => l.id) } },
      select: { id: true, invoiceId: true },
    }),
    db.purchaseOrderLine.findMany({
      where: { id: { in: poLines.map((l) => l.id) } },
      select: { id: true, purchaseOrderId: true },
    }),
  ]);
  const invoiceOf = new Map(storedInvoiceLines.map((l) => [l.id, l.invoiceId]));
  const poOf = new Map(storedPoLines.map((l) => [l.id, l.purchaseOrderId]));
  const problems: Problem[] = [];
  for (const line of invoiceLines) {
    const owner = invoiceOf.get(line.id);
    if (owner !== undefined && owner !== line.owner) {
      problems.push({
        path: jsonPath(line.path),
        message: `line ${line.id} belongs to invoice ${owner}`,
      });
    }
  }
  for (const line of poLines) {
    const owner = poOf.get(line.id);
    if (owner !== undefined && owner !== line.owner) {
      problems.push({
        path: jsonPath(line.path),
        message: `line ${line.id} belongs to purchase order ${owner}`,
      });
    }
  }
  return problems;
}

export async function importBundle(db: Db, raw: unknown): Promise<ImportCounts> {
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success)
    throw invalidInput('Invalid bundle; nothing was imported', issuesOf(parsed.error));
  return importRecords(db, parsed.data);
}

/** Imports a bundle that already passed bundleSchema: references checked, then one transaction. */
export async function importRecords(db: Db, bundle: Bundle): Promise<ImportCounts> {
  const problems = await checkReferences(db, bundle);
  if (problems.length) {
    throw unprocessable(
      'The bundle refers to records that do not exist; nothing was imported',
      problems,
    );
  }
  const misfits = await storedRecordProblems(db, bundle);
  if (misfits.length)
    throw unprocessable(
      'The bundle does not fit the existing records; nothing was imported',
      misfits,
    );
  const contractCustomers = bundle.contracts.map((c) => c.customerId);
  const known = await db.customer.findMany({
    where: { id: { in: contractCustomers } },
    select: { id: true, currency: true },
  });
  const currencyOf = new Map([...known, ...bundle.customers].map((c) => [c.id, c.currency]));
  const tooLarge = storageIssues(bundle, (id) => currencyOf.get(id));
  if (tooLarge.length)
    throw invalidInput(
      'The bundle holds values too large to store; nothing was imported',
      tooLarge,
    );
  let records;
  try {
    records = bundleToRecords(bundle, { customerCurrency: (id) => currencyOf.get(id) });
  } catch (error) {
    if (error instanceof BundleReferenceError) {
      throw unprocessable(
        'The bundle does not fit the existing records; nothing was imported',
        error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })),
      );
    }
    throw error;
  }
  return saveBillingRecords(db, records);
}

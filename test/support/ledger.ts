// Ledger test fixtures: the sample bundle imported through the real import, disputes to correct,
// and the ledger activities run in a real Activity context.
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ActivityDeps } from '../../activities/deps';
import { createLedgerActivities } from '../../activities/ledger';
import { importBundle } from '../../store/billing/import';
import type {
  AdjustmentDto,
  CorrectionRequest,
  ReversalRequest,
} from '../../domain/ledger/correction';
import type { Db, Prisma } from '../../store/db';
import { roundQuotient } from '../../domain/decimal';
import { formatAmount, money, parseAmount } from '../../domain/money';
import { sampleBundle } from './sample-data';

export type PostingRow = Prisma.LedgerPostingGetPayload<{ include: { entries: true } }>;

export async function importSample(db: Db): Promise<void> {
  await importBundle(db, sampleBundle());
}

/**
 * A dispute row (the read model a correction's adjustments hang off), with an API-shaped id.
 * `reviewed`: the total of the findings a person submitted (basis `review`), one pricing finding.
 */
export async function createDispute(
  db: Db,
  customerId: string,
  invoiceId: string,
  reviewed?: string,
): Promise<string> {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const id = `D-${[...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('')}`;
  const invoice = await db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
  await db.dispute.create({
    data: {
      id,
      workflowId: `dispute-${id}`,
      customerId,
      invoiceId,
      reason: 'pricing_error',
      description: 'ledger test',
      currency: invoice.currency,
      contactName: 'Dana Lee',
      contactEmail: 'dana@example.com',
      phase: 'correcting',
      openedBy: 'test',
      openedAt: new Date(),
      ...(reviewed === undefined
        ? {}
        : {
            findings: {
              create: {
                position: 0,
                rule: 'pricing',
                invoiceId,
                delta: parseAmount(reviewed, invoice.currency).minor,
                currency: invoice.currency,
                explanation: 'reviewed in a test',
              },
            },
          }),
    },
  });
  return id;
}

/**
 * Imports invoice `id` for C-100 (own purchase order and delivery of 10 AP-6E, contract price
 * 310.00) billed at `unitPrice`: the rules find D = 10 × (unitPrice − 310.00) plus 8.25 % tax on it,
 * e.g. 108.25 at 320.00 and −108.25 at 300.00.
 */
export async function importPricedInvoice(db: Db, id: string, unitPrice: string): Promise<void> {
  const price = parseAmount(unitPrice, 'USD').minor;
  const subtotal = price * 10n;
  const tax = roundQuotient(subtotal * 825n, 10_000n);
  const usd = (minor: bigint): string => formatAmount(money(minor, 'USD'));
  await importBundle(db, {
    purchaseOrders: [
      {
        id: `PO-${id}`,
        customerId: 'C-100',
        contractId: 'K-100',
        date: '2026-03-01',
        lines: [{ id: `PO-${id}-1`, sku: 'AP-6E', quantity: 10 }],
      },
    ],
    deliveries: [
      {
        id: `DL-${id}`,
        purchaseOrderId: `PO-${id}`,
        date: '2026-03-02',
        lines: [{ poLineId: `PO-${id}-1`, quantity: 10 }],
      },
    ],
    invoices: [
      {
        id,
        customerId: 'C-100',
        purchaseOrderId: `PO-${id}`,
        issuedAt: '2026-03-05',
        dueAt: '2026-04-04',
        currency: 'USD',
        taxRate: '0.0825',
        billingAddress: {
          line1: '400 Market St',
          city: 'Austin',
          postalCode: '78701',
          country: 'US',
        },
        lines: [
          {
            id: `${id}-1`,
            sku: 'AP-6E',
            poLineId: `PO-${id}-1`,
            quantity: 10,
            unitPrice: usd(price),
            discountPercent: '0',
            lineTotal: usd(subtotal),
          },
        ],
        subtotal: usd(subtotal),
        tax: usd(tax),
        total: usd(subtotal + tax),
      },
    ],
  });
}

export function correctionRequest(
  disputeId: string,
  customerId: string,
  invoiceId: string,
  kind: CorrectionRequest['kind'],
  amount: string,
  currency = 'USD',
  overrides: Partial<CorrectionRequest> = {},
): CorrectionRequest {
  return {
    disputeId,
    customerId,
    invoiceId,
    kind,
    amount: { amount, currency },
    installments: null,
    step: 'correction.1',
    approvedBy: null,
    basis: 'rules',
    ...overrides,
  };
}

export function ledgerDeps(db: Db, hooks?: ActivityDeps['hooks']): ActivityDeps {
  return {
    db,
    mailer: nodemailer.createTransport({ jsonTransport: true }),
    clock: () => new Date(),
    mail: { from: 'Settle <disputes@settle.test>', domain: 'settle.test' },
    ...(hooks ? { hooks } : {}),
  };
}

type LedgerActivities = ReturnType<typeof createLedgerActivities>;

/** Runs a ledger activity as Temporal runs it: in an Activity context, with its logger. */
export async function runLedgerActivity<K extends keyof LedgerActivities>(
  deps: ActivityDeps,
  name: K,
  input: Parameters<LedgerActivities[K]>[0],
): Promise<Awaited<ReturnType<LedgerActivities[K]>>> {
  const env = new MockActivityEnvironment(
    { activityType: name },
    { logger: new DefaultLogger('ERROR') },
  );
  type Result = Awaited<ReturnType<LedgerActivities[K]>>;
  const activity = createLedgerActivities(deps)[name] as (arg: typeof input) => Promise<Result>;
  return env.run<[typeof input], Result, typeof activity>(activity, input);
}

export function applyCorrection(
  deps: ActivityDeps,
  request: CorrectionRequest,
): Promise<AdjustmentDto[]> {
  return runLedgerActivity(deps, 'applyCorrection', request);
}

export function reversalRequest(
  disputeId: string,
  customerId: string,
  invoiceId: string,
  documentNumber: string,
  step = 'reversal.1',
): ReversalRequest {
  return {
    disputeId,
    customerId,
    invoiceId,
    documentNumber,
    step,
    reason: 'Posted on the wrong basis',
    reversedBy: 'manager:mgr',
  };
}

/** Postings and entries that book the given adjustments. */
export async function postingsOf(
  db: Db,
  adjustments: readonly AdjustmentDto[],
): Promise<PostingRow[]> {
  return db.ledgerPosting.findMany({
    where: { adjustmentId: { in: adjustments.map((a) => a.id) } },
    include: { entries: { orderBy: { id: 'asc' } } },
  });
}

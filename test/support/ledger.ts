// Ledger test fixtures: the sample bundle imported through the real import, disputes to correct,
// and the ledger activities run in a real Activity context.
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ActivityDeps } from '../../activities/deps';
import { createLedgerActivities } from '../../activities/ledger';
import { importBundle } from '../../store/billing/import';
import type { AdjustmentDto, CorrectionRequest } from '../../domain/ledger/correction';
import type { Db, Prisma } from '../../store/db';
import { sampleBundle } from './sample-data';

export type PostingRow = Prisma.LedgerPostingGetPayload<{ include: { entries: true } }>;

export async function importSample(db: Db): Promise<void> {
  await importBundle(db, sampleBundle());
}

/** A dispute row (the read model a correction's adjustments hang off), with an API-shaped id. */
export async function createDispute(
  db: Db,
  customerId: string,
  invoiceId: string,
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
    },
  });
  return id;
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
    justified: { amount, currency },
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

/** Runs applyCorrection as Temporal runs an activity: in an Activity context, with its logger. */
export async function applyCorrection(
  deps: ActivityDeps,
  request: CorrectionRequest,
): Promise<AdjustmentDto[]> {
  const env = new MockActivityEnvironment(
    { activityType: 'applyCorrection' },
    { logger: new DefaultLogger('ERROR') },
  );
  const activities = createLedgerActivities(deps);
  return env.run((r: CorrectionRequest) => activities.applyCorrection(r), request);
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

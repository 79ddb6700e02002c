// Opening a dispute in the database: its id, the checks against the billing records, and the row
// with its `opened` event (and idempotency record) in one transaction. The API and the proactive
// scan share this; each then starts workflow `dispute-<id>` its own way, with `disputeWorkflowInput`.
import { createHash, randomInt } from 'node:crypto';
import {
  workflowIdOf,
  type Actor,
  type DisputeInput,
  type DisputeOpening,
  type Reason,
} from '../../domain/dispute';
import { unprocessable } from '../../domain/errors';
import { DAY_MS } from '../../domain/calendar';
import { money, parseAmount, toMoneyDto } from '../../domain/money';
import type { Policy } from '../../domain/policy';
import { disputedAmountAtOpening, holdAmount } from '../../domain/hold';
import type { Db, Prisma, Tx } from '../db';
import { recordWebhookEvent } from '../webhooks/events';
import { DISPUTE_STATE_SELECT, reportHold, type DisputeState } from './webhook-facts';
import { isUniqueViolation } from '../errors';

const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newDisputeId(): string {
  let id = 'D-';
  for (let i = 0; i < 10; i += 1) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** A fixed id for `seed`, in the format of newDisputeId: a caller that retries gets the same dispute. */
export function derivedDisputeId(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = 'D-';
  // 32 symbols divide 256 evenly, so every symbol is equally likely.
  for (let i = 0; i < 10; i += 1) id += ID_ALPHABET[digest[i]! % ID_ALPHABET.length];
  return id;
}

type DisputeRecord = Prisma.DisputeGetPayload<{ include: { customer: true } }>;

function workflowInput(row: DisputeRecord, policy: Policy): DisputeInput {
  return {
    disputeId: row.id,
    customerId: row.customerId,
    customerName: row.customer.name,
    invoiceId: row.invoiceId,
    currency: row.currency,
    locale: row.customer.locale === 'fr' ? 'fr' : 'en',
    reason: row.reason as Reason,
    description: row.description,
    lineIds: JSON.parse(row.lineIds) as string[],
    claimedAmount:
      row.claimedAmount === null ? null : toMoneyDto(money(row.claimedAmount, row.currency)),
    contact: { name: row.contactName, email: row.contactEmail },
    evidence: JSON.parse(row.evidence) as DisputeInput['evidence'],
    openedBy: row.openedBy,
    openedAt: row.openedAt.toISOString(),
    internal: row.internal,
    policy,
  };
}

/** The input of a recorded dispute's workflow, with the policy it captures. */
export async function disputeWorkflowInput(
  db: Db,
  disputeId: string,
  policy: Policy,
): Promise<DisputeInput> {
  const row = await db.dispute.findUniqueOrThrow({
    where: { id: disputeId },
    include: { customer: true },
  });
  return workflowInput(row, policy);
}

interface InvoiceFacts {
  currency: string;
  /** What the customer contests: the claim, else the disputed lines with tax, else the invoice. */
  disputedMinor: bigint;
  invoiceTotalMinor: bigint;
}

async function checkAgainstRecords(db: Db, body: DisputeOpening): Promise<InvoiceFacts> {
  const invoice = await db.invoice.findUnique({
    where: { id: body.invoiceId },
    include: { lines: { select: { id: true, lineTotal: true } } },
  });
  const customer = await db.customer.findUnique({
    where: { id: body.customerId },
    select: { id: true },
  });
  if (!customer)
    throw unprocessable(`Customer ${body.customerId} does not exist`, { path: '$.customerId' });
  if (!invoice)
    throw unprocessable(`Invoice ${body.invoiceId} does not exist`, { path: '$.invoiceId' });
  if (invoice.customerId !== body.customerId) {
    throw unprocessable(`Invoice ${body.invoiceId} belongs to another customer`, {
      path: '$.invoiceId',
    });
  }
  const known = new Set(invoice.lines.map((l) => l.id));
  const unknown = (body.lineIds ?? []).filter((id) => !known.has(id));
  if (unknown.length) {
    throw unprocessable(`Lines not on invoice ${body.invoiceId}`, { path: '$.lineIds', unknown });
  }
  if (body.claimedAmount && body.claimedAmount.currency !== invoice.currency) {
    throw unprocessable(`The claimed amount must be in the invoice currency ${invoice.currency}`, {
      path: '$.claimedAmount.currency',
    });
  }
  const disputed = new Set(body.lineIds ?? []);
  return {
    currency: invoice.currency,
    invoiceTotalMinor: invoice.total,
    disputedMinor: disputedAmountAtOpening({
      claimedMinor: body.claimedAmount
        ? parseAmount(body.claimedAmount.amount, body.claimedAmount.currency).minor
        : null,
      disputedLineTotals: invoice.lines.filter((l) => disputed.has(l.id)).map((l) => l.lineTotal),
      invoiceTaxRate: invoice.taxRate,
      invoiceTotalMinor: invoice.total,
    }),
  };
}

/** How long an Idempotency-Key of `POST /v1/disputes` keeps answering with its dispute. */
export const IDEMPOTENCY_WINDOW_MS = DAY_MS;

export interface DisputeRequest {
  body: DisputeOpening;
  actor: Actor;
  /** Internal review cases (proactive scan) send nothing to the customer. */
  internal: boolean;
  /** A caller-chosen id (see derivedDisputeId); a new random one otherwise. */
  id?: string;
  /** Written in the dispute's transaction, so a retried request finds its dispute. */
  idempotency?: { key: string; hash: string };
}

export type RecordedDispute =
  | { outcome: 'created'; id: string; workflowId: string }
  /** A dispute on this invoice is still open: no second one is recorded. */
  | { outcome: 'open'; id: string; workflowId: string };

/**
 * Validates a dispute against the billing records (DomainError `unprocessable` when they do not
 * allow it) and writes it with its `opened` event in one transaction. Throws Prisma's P2002 when
 * the idempotency key or the chosen id was taken meanwhile.
 */
export async function recordDispute(
  db: Db,
  request: DisputeRequest,
  now: Date,
): Promise<RecordedDispute> {
  const { body } = request;
  const facts = await checkAgainstRecords(db, body);
  const open = await findOpen(db, body);
  if (open) return { outcome: 'open', ...open };

  const id = request.id ?? newDisputeId();
  try {
    await insertDispute(db, request, id, facts, now);
  } catch (error) {
    // Another request opened a dispute on the invoice in the meantime: answer with that one.
    const raced = isUniqueViolation(error) ? await findOpen(db, body) : null;
    if (raced) return { outcome: 'open', ...raced };
    throw error;
  }
  return { outcome: 'created', id, workflowId: workflowIdOf(id) };
}

function findOpen(
  db: Db,
  body: DisputeOpening,
): Promise<{ id: string; workflowId: string } | null> {
  return db.dispute.findUnique({
    where: { openKey: openKeyOf(body) },
    select: { id: true, workflowId: true },
  });
}

/**
 * The unique key an open dispute holds: its invoice. One open dispute per invoice, whatever the
 * reason, so two disputes never work on (and correct) the same error at once; a later dispute
 * starts from what the earlier ones corrected (`already_corrected`).
 */
export const openKeyOf = (dispute: Pick<DisputeOpening, 'invoiceId'>): string => dispute.invoiceId;

async function insertDispute(
  db: Db,
  request: DisputeRequest,
  id: string,
  facts: InvoiceFacts,
  now: Date,
): Promise<void> {
  const { body, actor, idempotency } = request;
  const { currency } = facts;
  // The collection hold starts with the dispute, from the records just checked; each projection
  // of the workflow computes it again from the invoice as it is then.
  const hold = holdAmount({
    phase: 'acknowledging',
    verdict: null,
    totalDeltaMinor: null,
    disputedMinor: facts.disputedMinor,
    invoiceTotalMinor: facts.invoiceTotalMinor,
    internal: request.internal,
  });
  await db.$transaction(async (tx) => {
    if (idempotency !== undefined) {
      // A stale record (older than the window) is replaced; a fresh one makes this insert fail.
      await tx.idempotencyRecord.deleteMany({
        where: {
          key: idempotency.key,
          createdAt: { lt: new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS) },
        },
      });
      await tx.idempotencyRecord.create({
        data: {
          key: idempotency.key,
          requestHash: idempotency.hash,
          disputeId: id,
          createdAt: now,
        },
      });
    }
    const opened = await tx.dispute.create({
      data: {
        id,
        workflowId: workflowIdOf(id),
        customerId: body.customerId,
        invoiceId: body.invoiceId,
        reason: body.reason,
        description: body.description,
        lineIds: JSON.stringify(body.lineIds ?? []),
        claimedAmount: body.claimedAmount
          ? parseAmount(body.claimedAmount.amount, body.claimedAmount.currency).minor
          : null,
        currency,
        contactName: body.contact.name,
        contactEmail: body.contact.email,
        evidence: JSON.stringify(body.evidence ?? []),
        phase: 'acknowledging',
        internal: request.internal,
        disputedAmount: facts.disputedMinor,
        holdAmount: hold,
        holdSince: hold === null ? null : now,
        openKey: openKeyOf(body),
        openedBy: actor,
        openedAt: now,
        events: {
          create: { key: `${id}:opened`, at: now, type: 'opened', actor },
        },
      },
      select: DISPUTE_STATE_SELECT,
    });
    await reportOpening(tx, opened, body, actor, now);
  });
}

/** dispute.opened, and the collection hold that starts with it, in the opening's transaction. */
async function reportOpening(
  tx: Tx,
  opened: DisputeState,
  body: DisputeOpening,
  actor: Actor,
  now: Date,
): Promise<void> {
  await recordWebhookEvent(
    tx,
    {
      type: 'dispute.opened',
      data: {
        disputeId: opened.id,
        customerId: opened.customerId,
        invoiceId: opened.invoiceId,
        reason: body.reason,
        claimedAmount: body.claimedAmount ?? null,
        openedAt: now.toISOString(),
        openedBy: actor,
        internal: opened.internal,
      },
    },
    now,
  );
  if (opened.holdAmount === null) return;
  await reportHold(tx, opened, null, { amount: opened.holdAmount, since: now }, 'opened', now);
}

/** The dispute an Idempotency-Key opened within the window, with the hash of its request. */
export async function findIdempotencyRecord(
  db: Db,
  key: string,
  now: Date,
): Promise<{ disputeId: string; requestHash: string } | null> {
  const record = await db.idempotencyRecord.findUnique({ where: { key } });
  if (!record || now.getTime() - record.createdAt.getTime() >= IDEMPOTENCY_WINDOW_MS) return null;
  return { disputeId: record.disputeId, requestHash: record.requestHash };
}

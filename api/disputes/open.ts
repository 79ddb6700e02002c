// Opening a dispute: validate it against the billing records, write it with its `opened` event
// (and idempotency key) in one transaction, then start its workflow. recordDispute is the part
// the API and the proactive scan share; each then starts workflow `dispute-<id>` its own way.
import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { createHash, randomInt } from 'node:crypto';
import type { Actor, Reason } from '../../domain/dispute';
import { money, parseAmount, toMoneyDto } from '../../domain/money';
import type { Policy } from '../../domain/policy';
import type { Db, Prisma } from '../../store/db';
import type { disputeWorkflow } from '../../workflows/dispute';
import type { DisputeInput } from '../../workflows/state';
import type { Caller } from '../http/auth';
import { ApiError, conflict, unprocessable } from '../http/errors';
import type { OpenDisputeBody } from './schemas';
import { loadDispute } from './dto';
import type { DisputeDto } from './schemas';

export interface OpenDisputeDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  policy: Policy;
  now: () => Date;
}

export interface OpenDisputeResult {
  dispute: DisputeDto;
  replayed: boolean;
}

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
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

export const workflowIdOf = (disputeId: string): string => `dispute-${disputeId}`;

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const requestHash = (body: OpenDisputeBody): string =>
  createHash('sha256').update(canonicalJson(body)).digest('hex');

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

/** Starts the dispute's workflow unless it already runs: safe to call again after a crash. */
async function ensureWorkflow(deps: OpenDisputeDeps, disputeId: string): Promise<void> {
  await deps.temporal.workflow.start<typeof disputeWorkflow>('disputeWorkflow', {
    workflowId: workflowIdOf(disputeId),
    taskQueue: deps.taskQueue,
    args: [await disputeWorkflowInput(deps.db, disputeId, deps.policy)],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
}

async function checkAgainstRecords(db: Db, body: OpenDisputeBody): Promise<{ currency: string }> {
  const invoice = await db.invoice.findUnique({
    where: { id: body.invoiceId },
    include: { lines: { select: { id: true } } },
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
  return { currency: invoice.currency };
}

export interface DisputeRequest {
  body: OpenDisputeBody;
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
  /** A dispute on this invoice with this reason is still open: no second one is recorded. */
  | { outcome: 'open'; id: string; workflowId: string };

/**
 * Validates a dispute against the billing records (422 when they do not allow it) and writes it
 * with its `opened` event in one transaction. Throws Prisma's P2002 when the idempotency key or
 * the chosen id was taken meanwhile.
 */
export async function recordDispute(
  db: Db,
  request: DisputeRequest,
  now: Date,
): Promise<RecordedDispute> {
  const { body } = request;
  const { currency } = await checkAgainstRecords(db, body);
  const open = await findOpen(db, body);
  if (open) return { outcome: 'open', ...open };

  const id = request.id ?? newDisputeId();
  try {
    await insertDispute(db, request, id, currency, now);
  } catch (error) {
    // Another request opened the same invoice and reason in the meantime: answer with that one.
    const raced = isUniqueViolation(error) ? await findOpen(db, body) : null;
    if (raced) return { outcome: 'open', ...raced };
    throw error;
  }
  return { outcome: 'created', id, workflowId: workflowIdOf(id) };
}

function findOpen(
  db: Db,
  body: OpenDisputeBody,
): Promise<{ id: string; workflowId: string } | null> {
  return db.dispute.findUnique({
    where: { openKey: openKeyOf(body) },
    select: { id: true, workflowId: true },
  });
}

const openKeyOf = (body: Pick<OpenDisputeBody, 'invoiceId' | 'reason'>): string =>
  `${body.invoiceId}|${body.reason}`;

async function insertDispute(
  db: Db,
  request: DisputeRequest,
  id: string,
  currency: string,
  now: Date,
): Promise<void> {
  const { body, actor, idempotency } = request;
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
    await tx.dispute.create({
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
        openKey: openKeyOf(body),
        openedBy: actor,
        openedAt: now,
        events: {
          create: { key: `${id}:opened`, at: now, type: 'opened', actor },
        },
      },
    });
  });
}

export async function openDispute(
  deps: OpenDisputeDeps,
  body: OpenDisputeBody,
  caller: Caller,
  idempotencyKey: string | undefined,
): Promise<OpenDisputeResult> {
  const { db } = deps;
  const hash = requestHash(body);
  const now = deps.now();

  if (idempotencyKey !== undefined) {
    const previous = await db.idempotencyRecord.findUnique({ where: { key: idempotencyKey } });
    if (previous && now.getTime() - previous.createdAt.getTime() < IDEMPOTENCY_WINDOW_MS) {
      if (previous.requestHash !== hash) {
        throw conflict(
          'idempotency_key_reused',
          'This Idempotency-Key was used with a different body',
          {
            disputeId: previous.disputeId,
          },
        );
      }
      await ensureWorkflow(deps, previous.disputeId);
      return { dispute: await mustLoad(db, previous.disputeId), replayed: true };
    }
  }

  let recorded: RecordedDispute;
  try {
    recorded = await recordDispute(
      db,
      {
        body,
        actor: caller.actor,
        internal: false,
        ...(idempotencyKey !== undefined ? { idempotency: { key: idempotencyKey, hash } } : {}),
      },
      now,
    );
  } catch (error) {
    // Two requests raced on one Idempotency-Key: the loser answers like a replay.
    if (idempotencyKey !== undefined && isUniqueViolation(error)) {
      return openDispute(deps, body, caller, idempotencyKey);
    }
    throw error;
  }
  if (recorded.outcome === 'open') {
    // A request with this key may have committed since the check above: answer as its replay.
    if (idempotencyKey !== undefined && (await freshRecord(db, idempotencyKey, now))) {
      return openDispute(deps, body, caller, idempotencyKey);
    }
    await ensureWorkflow(deps, recorded.id);
    throw conflict(
      'dispute_exists',
      `Dispute ${recorded.id} on this invoice and reason is still open`,
      {
        disputeId: recorded.id,
      },
    );
  }
  await ensureWorkflow(deps, recorded.id);
  return { dispute: await mustLoad(db, recorded.id), replayed: false };
}

async function freshRecord(db: Db, key: string, now: Date): Promise<boolean> {
  const record = await db.idempotencyRecord.findUnique({
    where: { key },
    select: { createdAt: true },
  });
  return record !== null && now.getTime() - record.createdAt.getTime() < IDEMPOTENCY_WINDOW_MS;
}

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002'
  );
}

async function mustLoad(db: Db, id: string): Promise<DisputeDto> {
  const dispute = await loadDispute(db, id);
  if (!dispute) throw new ApiError(500, 'internal', `Dispute ${id} vanished`);
  return dispute;
}

// The dispute's read model: the columns and findings that lists, reports and GET read, written
// from the workflow's state (the workflow stays the source of truth).
import type { FindingDto, MoneyDto, Phase, Resolution, Verdict } from '../../domain/dispute';
import { parseAmount } from '../../domain/money';
import type { Db } from '../db';
import { openKeyOf } from './open';
import {
  DISPUTE_STATE_SELECT,
  holdFor,
  reportProjection,
  type DisputeState,
} from './webhook-facts';

/** The part of the workflow's state that lists, reports and GET read from the database. */
export interface DisputeProjection {
  disputeId: string;
  phase: Phase;
  verdict: Verdict | null;
  resolution: Resolution | null;
  totalDelta: MoneyDto | null;
  escalationLevel: number;
  assignee: string | null;
  deadline: string | null;
  offer: unknown;
  rootCause: string | null;
  closedAt: string | null;
  /** Counts the workflow's projections: a write never replaces a newer one. */
  version: number;
}

export type ProjectionOutcome =
  | { saved: true; heldOpenKey: string | null }
  /** A newer projection (higher version) was written first: this one changed nothing. */
  | { saved: false };

/**
 * Writes the projection unless a newer one is there already; a dispute that is not closed takes
 * its invoice's open key (openKeyOf). `heldOpenKey` names the key when another open dispute holds
 * it (the dispute was saved without it). In the same transaction: the collection hold the new state calls for, and
 * the webhook events the change reports (phase, closing, hold).
 */
export async function saveProjection(
  db: Db,
  state: DisputeProjection,
  now: Date = new Date(),
): Promise<ProjectionOutcome> {
  const data = {
    phase: state.phase,
    verdict: state.verdict,
    resolution: state.resolution,
    totalDelta: state.totalDelta
      ? parseAmount(state.totalDelta.amount, state.totalDelta.currency).minor
      : null,
    escalationLevel: state.escalationLevel,
    assignee: state.assignee,
    deadline: state.deadline ? new Date(state.deadline) : null,
    offer: state.offer == null ? null : JSON.stringify(state.offer),
    rootCause: state.rootCause,
    closedAt: state.closedAt ? new Date(state.closedAt) : null,
    version: state.version,
  };
  return db.$transaction(async (tx) => {
    const before = await tx.dispute.findUniqueOrThrow({
      where: { id: state.disputeId },
      select: { ...DISPUTE_STATE_SELECT, openKey: true, version: true },
    });
    // Only over an older version: a late retry of an earlier projection changes nothing.
    if (before.version >= state.version) return { saved: false } as const;
    const hold = await holdFor(tx, { ...before, ...data });
    const holdFields =
      hold === before.holdAmount
        ? {}
        : { holdAmount: hold, holdSince: hold === null ? null : (before.holdSince ?? now) };
    let openKey: string | null = null;
    let heldOpenKey: string | null = null;
    if (state.phase !== 'closed') {
      const key = openKeyOf(before);
      // The key is unique: a dispute that holds it already needs no look-up.
      const holder =
        before.openKey === key
          ? null
          : await tx.dispute.findUnique({ where: { openKey: key }, select: { id: true } });
      // Reopened while another dispute on the same invoice is open: both stay open.
      if (holder && holder.id !== state.disputeId) {
        heldOpenKey = key;
        openKey = before.openKey;
      } else openKey = key;
    }
    const written = await tx.dispute.updateMany({
      where: { id: state.disputeId, version: { lt: state.version } },
      data: { ...data, ...holdFields, openKey },
    });
    if (written.count !== 1) return { saved: false } as const;
    // The row as just written, without reading it back.
    const after: DisputeState = { ...before, ...data, ...holdFields };
    await reportProjection(tx, before, after, now);
    return { saved: true, heldOpenKey } as const;
  });
}

/** Replaces the dispute's findings in one transaction (an agent's review may revise them). */
export async function replaceFindings(
  db: Db,
  disputeId: string,
  findings: readonly FindingDto[],
): Promise<void> {
  await db.$transaction([
    db.finding.deleteMany({ where: { disputeId } }),
    db.finding.createMany({
      data: findings.map((f, position) => ({
        disputeId,
        position,
        rule: f.rule,
        invoiceId: f.invoiceId,
        lineId: f.lineId,
        expected: f.expected,
        actual: f.actual,
        delta: parseAmount(f.delta.amount, f.delta.currency).minor,
        currency: f.delta.currency,
        explanation: f.explanation,
      })),
    }),
  ]);
}

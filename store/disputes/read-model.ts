// The dispute's read model: the columns and findings that lists, reports and GET read, written
// from the workflow's state (the workflow stays the source of truth).
import type { FindingDto, MoneyDto, Phase, Resolution, Verdict } from '../../domain/dispute';
import { parseAmount } from '../../domain/money';
import type { Db } from '../db';
import { isUniqueViolation } from '../errors';
import { openKeyOf } from './open';

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
 * it (the dispute was saved without it).
 */
export async function saveProjection(db: Db, state: DisputeProjection): Promise<ProjectionOutcome> {
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
  // Only over an older version: a late retry of an earlier projection changes nothing.
  const where = { id: state.disputeId, version: { lt: state.version } };
  const write = async (extra: { openKey?: string | null }): Promise<boolean> =>
    (await db.dispute.updateMany({ where, data: { ...data, ...extra } })).count === 1;
  if (state.phase === 'closed') return { saved: await write({ openKey: null }), heldOpenKey: null };
  const row = await db.dispute.findUniqueOrThrow({
    where: { id: state.disputeId },
    select: { invoiceId: true },
  });
  const openKey = openKeyOf(row);
  try {
    return (await write({ openKey })) ? { saved: true, heldOpenKey: null } : { saved: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Reopened while another dispute on the same invoice is open: both stay open.
    return (await write({})) ? { saved: true, heldOpenKey: openKey } : { saved: false };
  }
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

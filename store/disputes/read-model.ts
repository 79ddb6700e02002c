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
}

/**
 * Writes the projection; a dispute that is not closed takes its invoice's open key (openKeyOf).
 * Returns that key when another open dispute holds it (the dispute was saved without it), else null.
 */
export async function saveProjection(db: Db, state: DisputeProjection): Promise<string | null> {
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
  };
  if (state.phase === 'closed') {
    await db.dispute.update({ where: { id: state.disputeId }, data: { ...data, openKey: null } });
    return null;
  }
  const row = await db.dispute.findUniqueOrThrow({
    where: { id: state.disputeId },
    select: { invoiceId: true },
  });
  const openKey = openKeyOf(row);
  try {
    await db.dispute.update({ where: { id: state.disputeId }, data: { ...data, openKey } });
    return null;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Reopened while another dispute on the same invoice is open: both stay open.
    await db.dispute.update({ where: { id: state.disputeId }, data });
    return openKey;
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

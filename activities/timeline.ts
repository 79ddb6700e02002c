// The dispute's append-only timeline and its read model in the database.
import { log } from '@temporalio/activity';
import type { Actor, FindingDto, MoneyDto, Phase, Resolution, Verdict } from '../domain/dispute';
import { parseAmount } from '../domain/money';
import type { ActivityDeps } from './deps';

export interface TimelineEventInput {
  disputeId: string;
  /** Unique per event; a retried activity with the same key writes nothing. */
  key: string;
  at: string;
  type: string;
  actor: Actor;
  data?: Record<string, unknown>;
}

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

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types
export function createTimelineActivities({ db }: ActivityDeps) {
  return {
    async recordEvent(event: TimelineEventInput): Promise<void> {
      await db.disputeEvent.upsert({
        where: { key: event.key },
        update: {},
        create: {
          disputeId: event.disputeId,
          key: event.key,
          at: new Date(event.at),
          type: event.type,
          actor: event.actor,
          data: JSON.stringify(event.data ?? {}),
        },
      });
    },

    async projectDispute(state: DisputeProjection): Promise<void> {
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
        await db.dispute.update({
          where: { id: state.disputeId },
          data: { ...data, openKey: null },
        });
        return;
      }
      const row = await db.dispute.findUniqueOrThrow({
        where: { id: state.disputeId },
        select: { invoiceId: true, reason: true, openKey: true },
      });
      const openKey = `${row.invoiceId}|${row.reason}`;
      try {
        await db.dispute.update({ where: { id: state.disputeId }, data: { ...data, openKey } });
      } catch (error) {
        if ((error as { code?: string }).code !== 'P2002') throw error;
        // Reopened while another dispute on the same invoice and reason is open: both stay open.
        log.warn('another open dispute holds this invoice and reason', {
          disputeId: state.disputeId,
          openKey,
        });
        await db.dispute.update({ where: { id: state.disputeId }, data });
      }
    },

    /** Replaces the dispute's findings in one transaction (an agent's review may revise them). */
    async saveFindings(disputeId: string, findings: FindingDto[]): Promise<void> {
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
    },
  };
}

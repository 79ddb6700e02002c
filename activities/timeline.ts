// The dispute's append-only timeline and its read model in the database (store/disputes/).
import { log } from '@temporalio/activity';
import type { Actor, FindingDto } from '../domain/dispute';
import { recordDisputeEvent } from '../store/disputes/events';
import {
  replaceFindings,
  saveProjection,
  type DisputeProjection,
} from '../store/disputes/read-model';
import type { ActivityDeps } from './deps';

export type { DisputeProjection };

export interface TimelineEventInput {
  disputeId: string;
  /** Unique per event; a retried activity with the same key writes nothing. */
  key: string;
  at: string;
  type: string;
  actor: Actor;
  data?: Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types
export function createTimelineActivities({ db, clock }: ActivityDeps) {
  return {
    async recordEvent(event: TimelineEventInput): Promise<void> {
      await recordDisputeEvent(db, { ...event, at: new Date(event.at), data: event.data ?? {} });
    },

    async projectDispute(state: DisputeProjection): Promise<void> {
      const outcome = await saveProjection(db, state, clock());
      if (!outcome.saved) {
        log.info('a newer projection is saved already', {
          disputeId: state.disputeId,
          version: state.version,
        });
      } else if (outcome.heldOpenKey !== null) {
        log.warn('another open dispute holds this invoice', {
          disputeId: state.disputeId,
          openKey: outcome.heldOpenKey,
        });
      }
    },

    /** Replaces the dispute's findings in one transaction (an agent's review may revise them). */
    async saveFindings(disputeId: string, findings: FindingDto[]): Promise<void> {
      await replaceFindings(db, disputeId, findings);
    },
  };
}

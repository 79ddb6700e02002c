// Maps the dispute's database read model to the API's JSON shape.
import type { Phase, Reason, Resolution, Verdict } from '../../domain/dispute';
import { absMinor, money, toMoneyDto } from '../../domain/money';
import type { Db } from '../../store/db';
import {
  findDisputeDetail,
  type DisputeDetailRow,
  type DisputeSummaryRow,
} from '../../store/disputes/find';
import { toAdjustmentDto } from '../../store/ledger/rows';
import { availableActions } from './action-paths';
import type { DisputeDto, DisputeSummaryDto } from './schemas';

type PostingRow = NonNullable<DisputeDetailRow['adjustments'][number]['posting']>;

function postingDto(posting: PostingRow | null): DisputeDto['adjustments'][number]['posting'] {
  if (!posting) return null;
  return {
    id: posting.id,
    postedAt: posting.postedAt.toISOString(),
    entries: posting.entries.map((e) => ({
      account: e.account,
      side: e.amount < 0n ? 'credit' : 'debit',
      amount: toMoneyDto(money(absMinor(e.amount), e.currency)),
    })),
  };
}

const amount = (minor: bigint | null, currency: string): DisputeDto['totalDelta'] =>
  minor === null ? null : toMoneyDto(money(minor, currency));

export function summaryDto(row: DisputeSummaryRow): DisputeSummaryDto {
  return {
    id: row.id,
    workflowId: row.workflowId,
    customerId: row.customerId,
    customerName: row.customer.name,
    invoiceId: row.invoiceId,
    currency: row.currency,
    reason: row.reason as Reason,
    description: row.description,
    lineIds: JSON.parse(row.lineIds) as string[],
    claimedAmount: amount(row.claimedAmount, row.currency),
    contact: { name: row.contactName, email: row.contactEmail },
    evidence: JSON.parse(row.evidence) as DisputeDto['evidence'],
    phase: row.phase as Phase,
    resolution: row.resolution as Resolution | null,
    verdict: row.verdict as Verdict | null,
    totalDelta: amount(row.totalDelta, row.currency),
    escalationLevel: row.escalationLevel,
    assignee: row.assignee,
    deadline: row.deadline?.toISOString() ?? null,
    offer: row.offer === null ? null : (JSON.parse(row.offer) as Record<string, unknown>),
    rootCause: row.rootCause,
    openedAt: row.openedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
  };
}

export function disputeDto(row: DisputeDetailRow): DisputeDto {
  const notes = new Map(row.notes.map((n) => [n.id, n.text]));
  return {
    ...summaryDto(row),
    findings: row.findings.map((f) => ({
      rule: f.rule,
      invoiceId: f.invoiceId,
      lineId: f.lineId,
      expected: f.expected,
      actual: f.actual,
      delta: toMoneyDto(money(f.delta, f.currency)),
      explanation: f.explanation,
    })),
    adjustments: row.adjustments.map((a) => ({
      ...toAdjustmentDto(a),
      posting: postingDto(a.posting),
    })),
    timeline: row.events.map((e) => {
      const data = JSON.parse(e.data) as Record<string, unknown>;
      // A note's body lives beside the timeline, named by its event.
      if (e.type === 'note' && typeof data.noteId === 'string')
        data.text = notes.get(data.noteId) ?? null;
      return {
        at: e.at.toISOString(),
        type: e.type,
        actor: e.actor,
        ...(Object.keys(data).length ? { data } : {}),
      };
    }),
    availableActions: availableActions(row.phase as Phase),
  };
}

export async function loadDispute(db: Db, id: string): Promise<DisputeDto | null> {
  const row = await findDisputeDetail(db, id);
  return row ? disputeDto(row) : null;
}

// Brings a new dispute into any phase through its public messages and scripted investigation
// results, the way people and the rules would; transient phases are held by holding an activity.
import { DAY_MS } from '../../domain/calendar';
import type { DisputeInput, Phase } from '../../domain/dispute';
import type { ActionResult, DisputeView } from '../../workflows/state';
import type { InvestigationOutcome } from './fake-activities';
import type { ActionArgs, ActionName, Dispute } from './dispute-driver';
import type { World } from './fake-disputes';
import { MANAGER, needsReview, noDiscrepancy, overcharged, usd } from './dispute-scripts';

/** The overcharge each phase is reached with (USD), under the default policy's limits. */
export const DRIVE_AMOUNTS = {
  /** Above the auto-approve limit, within the agent's. */
  decision: '500.00',
  /** Above the agent limit: a manager approves. */
  approval: '1500.00',
  /** Within the auto-approve limit: a credit note is offered by policy. */
  autoCredit: '50.00',
} as const;

/** Every phase but acknowledging, which passes within the workflow's first task. */
export type DrivablePhase = Exclude<Phase, 'acknowledging'>;

const OUTCOME_FOR: Record<DrivablePhase, () => InvestigationOutcome> = {
  investigating: () => overcharged(DRIVE_AMOUNTS.decision),
  awaiting_review: () => needsReview(),
  awaiting_decision: () => overcharged(DRIVE_AMOUNTS.decision),
  awaiting_approval: () => overcharged(DRIVE_AMOUNTS.approval),
  awaiting_customer: () => overcharged(DRIVE_AMOUNTS.autoCredit),
  mediation: () => overcharged(DRIVE_AMOUNTS.decision),
  correcting: () => overcharged(DRIVE_AMOUNTS.autoCredit),
  monitoring: () => overcharged(DRIVE_AMOUNTS.autoCredit),
  closed: () => noDiscrepancy(),
};

export interface DriveOptions {
  input?: Partial<DisputeInput>;
}

/**
 * Opens a dispute with `action` sent along (update-with-start), so the action reaches the
 * workflow while it is acknowledging; the investigation is held, so a dispute the action leaves
 * open stops in investigating.
 */
export async function openAcknowledging<A extends ActionName>(
  world: World,
  action: A,
  args: ActionArgs<A>,
): Promise<{ dispute: Dispute; answer: Promise<ActionResult> }> {
  return await world.openWith(action, args, {
    outcome: overcharged(DRIVE_AMOUNTS.decision),
    beforeStart: (d) => world.hold(d, 'investigate', (r) => r.disputeId === d.id),
  });
}

/** Opens a dispute and brings it into `phase`; it is settled there when this returns. */
export async function driveTo(
  world: World,
  phase: DrivablePhase,
  { input = {} }: DriveOptions = {},
): Promise<Dispute> {
  const outcome = OUTCOME_FOR[phase]();
  // Resolve once a held activity is waiting, i.e. the dispute sits in the transient phase.
  const reached: Promise<void>[] = [];
  const dispute = await world.open({
    outcome,
    input,
    beforeStart: (d) => {
      if (phase === 'investigating')
        reached.push(world.hold(d, 'investigate', (r) => r.disputeId === d.id).reached);
    },
  });
  await Promise.all(reached);

  switch (phase) {
    case 'awaiting_approval':
      await dispute.waitForPhase('awaiting_decision');
      await dispute.act('decide', {
        resolution: 'credit_note',
        amount: usd(DRIVE_AMOUNTS.approval),
        byManager: false,
      });
      break;
    case 'mediation':
      await rejectEveryRound(dispute);
      break;
    case 'correcting':
    case 'monitoring': {
      await dispute.waitForPhase('awaiting_customer');
      if (phase === 'correcting') {
        reached.push(
          world.hold(dispute, 'applyCorrection', (r) => r.disputeId === dispute.id).reached,
        );
      }
      await dispute.act('customerResponse', { accepted: true });
      await Promise.all(reached);
      break;
    }
    default:
  }
  await dispute.waitForPhase(phase);
  const view = await dispute.settled();
  if (view.phase !== phase) throw new Error(`${dispute.id} left ${phase} for ${view.phase}`);
  return dispute;
}

/** Offers a credit note each round and has the customer reject it, until mediation. */
export async function rejectEveryRound(dispute: Dispute): Promise<void> {
  await dispute.waitForPhase('awaiting_decision');
  for (let round = 1; ; round += 1) {
    await dispute.act('decide', {
      resolution: 'credit_note',
      amount: usd(DRIVE_AMOUNTS.decision),
      byManager: true,
      actor: MANAGER,
    });
    const view = await dispute.act('customerResponse', {
      accepted: false,
      comment: `no (round ${round})`,
    });
    if (view.phase === 'mediation') return;
    if (round > dispute.input.policy.maxRounds)
      throw new Error(`${dispute.id} is not in mediation after ${round} rounds`);
  }
}

/**
 * Lets a dispute in `monitoring` run to the end of the policy's period: jumps the clock to each
 * weekly sweep in turn, then to the end, and waits until the dispute is closed.
 */
export async function monitorToEnd(world: World, dispute: Dispute): Promise<DisputeView> {
  const view = await monitorUntil(world, dispute, Infinity);
  if (view.phase === 'monitoring') throw new Error(`${dispute.id} is still monitoring`);
  return view;
}

/**
 * Lets a dispute in `monitoring` run until `until` (server time, ms) or until it leaves
 * monitoring, one timer at a time: each weekly sweep in turn, the period's end, then `until`.
 */
export async function monitorUntil(
  world: World,
  dispute: Dispute,
  until: number,
): Promise<DisputeView> {
  const { monitoringDays, monitoringSweepDays } = dispute.input.policy;
  const eventAt = (type: string, to?: string): number | null => {
    const events = dispute
      .record()
      .events.filter((e) => e.type === type && (to === undefined || e.data?.to === to));
    const last = events.at(-1);
    return last ? Date.parse(last.at) : null;
  };
  await dispute.settled();
  const entered = eventAt('phase_changed', 'monitoring');
  if (entered === null) throw new Error(`${dispute.id} is not monitoring`);
  // Both are upper bounds: the workflow computed them a moment before it recorded the events.
  const end = entered + monitoringDays * DAY_MS;
  for (let step = 0; step < 1_000; step += 1) {
    const view = await dispute.settled();
    const now = await world.now();
    if (view.phase !== 'monitoring' || now >= until) return view;
    const lastSweep = eventAt('monitoring_sweep') ?? entered;
    // A payment plan may keep the dispute monitoring past the period's end.
    const due = Math.min(lastSweep + monitoringSweepDays * DAY_MS, end > now ? end : until, until);
    // Past the estimate and nothing fired yet: creep forward an hour at a time.
    await world.skipPast(due > now ? due : now + HOUR_MS);
  }
  throw new Error(`${dispute.id} is still monitoring after 1,000 steps`);
}

const HOUR_MS = 3_600_000;

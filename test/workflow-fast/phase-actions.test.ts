// Every phase × every action, through the workflow's updates only: an action the phase allows has
// its effect (phase, view, timeline, emails, postings); any other is refused by the validator
// with PhaseConflict and changes nothing. The table is written out here, not derived from
// domain/lifecycle.ts, so a change of the rules fails this test until the table changes with it.
import { describe, expect, it } from 'vitest';
import { PHASES, type Phase } from '../../domain/dispute';
import { DEFAULT_POLICY } from '../../domain/policy';
import type { DisputeView } from '../../workflows/state';
import { CONTACT, MANAGER, finding, undercharged, usd } from '../support/dispute-scripts';
import { DRIVE_AMOUNTS, driveTo, openAcknowledging } from '../support/drive-to';
import {
  ACTION_NAMES,
  type ActionArgs,
  type ActionName,
  refusal,
  type Dispute,
} from '../support/dispute-driver';
import {
  inAnyOrder,
  summarize,
  type DisputeRecord,
  type RecordSummary,
} from '../support/dispute-record';
import { fakeDisputeSuite, type World } from '../support/fake-disputes';

const suite = fakeDisputeSuite();

const CUSTOMER = CONTACT.email;
const [AGENTS, TEAM_LEAD] = DEFAULT_POLICY.contacts.map((c) => c.email);

interface Effect {
  /** The phase once the dispute has settled after the action. */
  phase: Phase;
  /** The phase the update answers with, when the workflow moves on from it by itself. */
  answered?: Phase;
  /** The handler and the workflow's main line record events side by side: their order varies. */
  concurrent?: boolean;
  view?: Partial<DisputeView> & Record<string, unknown>;
  record: RecordSummary;
}

interface Cell<A extends ActionName = ActionName> {
  action: A;
  /** The input, or how to read it off the dispute (a document it posted). */
  args: ActionArgs<A> | ((dispute: Dispute) => ActionArgs<A>);
  effect: Effect;
  /** A dispute in the phase that fits the action better than driveTo's. */
  on?: (world: World) => Promise<Dispute>;
}

const cell = <A extends ActionName>(
  action: A,
  args: Cell<A>['args'],
  effect: Effect,
  on?: Cell['on'],
): Cell => ({ action, args, effect, ...(on ? { on } : {}) });

const argsOf = (c: Cell, dispute: Dispute): ActionArgs<ActionName> =>
  typeof c.args === 'function' ? c.args(dispute) : c.args;

/** A manager's reversal of the first document the dispute's correction posted. */
const reverseFirstDocument = (dispute: Dispute): ActionArgs<'reverse'> => ({
  documentNumber: dispute.record().postings[0]!.adjustments[0]!.documentNumber,
  reason: 'posted against the wrong contract',
  actor: MANAGER,
});

const nothing = (): RecordSummary => ({ events: [], emails: [], postings: [] });

const assign = (phase: Phase): Cell =>
  cell(
    'assign',
    { assignee: 'agent-7' },
    {
      phase,
      view: { assignee: 'agent-7' },
      record: { events: ['assigned'], emails: [`assignment → ${AGENTS}`], postings: [] },
    },
  );

const note = (phase: Phase): Cell =>
  cell('note', { noteId: 'N-1' }, { phase, record: { ...nothing(), events: ['note'] } });

const escalate = (phase: Phase): Cell =>
  cell(
    'escalate',
    { reason: 'the customer called twice' },
    {
      phase,
      view: { escalationLevel: 1 },
      record: { events: ['escalated'], emails: [`escalation → ${TEAM_LEAD}`], postings: [] },
    },
  );

const withdraw = ({ corrected = false } = {}): Cell =>
  cell(
    'withdraw',
    { reason: 'settled by phone' },
    {
      phase: 'closed',
      // After a correction was posted the resolution is left open here: `withdrawn` hides it.
      view: corrected
        ? { deadline: null }
        : { resolution: 'withdrawn', rootCause: 'withdrawn', deadline: null },
      record: { ...nothing(), events: ['withdrawn', 'phase_changed→closed', 'closed'] },
    },
  );

/** An action's record in acknowledging, with the acknowledgement that follows it. */
const acknowledged = ({
  events,
  emails,
}: {
  events: string[];
  emails: string[];
}): RecordSummary => ({
  events: ['acknowledged', ...events],
  emails: [`acknowledgement → ${CUSTOMER}`, ...emails],
  postings: [],
});

/** Corrected and monitored: what accepting an offer, or agreeing in mediation, leads to. */
const corrected = (first: string, kind: string): RecordSummary => ({
  events: [first, 'phase_changed→correcting', 'corrected', 'phase_changed→monitoring'],
  emails: [`correction_confirmation → ${CUSTOMER}`],
  postings: [kind],
});

/** What each phase allows, with the effect of each allowed action. Everything else is refused. */
const TABLE: Record<Phase, Cell[]> = {
  // Acknowledging passes within the workflow's first task: an action sent with the start runs
  // first, answers in acknowledging, and the acknowledgement follows (the investigation is held).
  acknowledging: [
    cell(
      'assign',
      { assignee: 'agent-7' },
      {
        phase: 'investigating',
        answered: 'acknowledging',
        concurrent: true,
        view: { assignee: 'agent-7' },
        record: acknowledged({
          events: ['assigned', 'phase_changed→investigating'],
          emails: [`assignment → ${AGENTS}`],
        }),
      },
    ),
    cell(
      'note',
      { noteId: 'N-1' },
      {
        phase: 'investigating',
        answered: 'acknowledging',
        concurrent: true,
        record: acknowledged({ events: ['note', 'phase_changed→investigating'], emails: [] }),
      },
    ),
    cell(
      'withdraw',
      { reason: 'settled by phone' },
      {
        phase: 'closed',
        concurrent: true,
        view: { resolution: 'withdrawn', rootCause: 'withdrawn', deadline: null },
        record: acknowledged({
          events: ['withdrawn', 'phase_changed→closed', 'closed'],
          emails: [],
        }),
      },
    ),
  ],
  investigating: [assign('investigating'), note('investigating'), withdraw()],
  awaiting_review: [
    assign('awaiting_review'),
    note('awaiting_review'),
    escalate('awaiting_review'),
    cell(
      'submitFindings',
      { findings: [finding('pricing', '500.00')], verdict: 'overcharged' },
      {
        phase: 'awaiting_decision',
        view: { verdict: 'overcharged', totalDelta: usd('500.00') },
        record: {
          events: ['findings_submitted', 'phase_changed→awaiting_decision'],
          emails: [`findings → ${CUSTOMER}`],
          postings: [],
        },
      },
    ),
    withdraw(),
  ],
  awaiting_decision: [
    assign('awaiting_decision'),
    note('awaiting_decision'),
    escalate('awaiting_decision'),
    cell(
      'decide',
      { resolution: 'credit_note', amount: usd(DRIVE_AMOUNTS.decision), byManager: false },
      {
        phase: 'awaiting_customer',
        view: {
          offer: {
            kind: 'credit_note',
            amount: usd(DRIVE_AMOUNTS.decision),
            installments: null,
            explanation: null,
            round: 1,
            decidedBy: 'agent:test',
            approvedBy: null,
          },
        },
        record: {
          events: ['decided', 'phase_changed→awaiting_customer'],
          emails: [`offer → ${CUSTOMER}`],
          postings: [],
        },
      },
    ),
    withdraw(),
  ],
  awaiting_approval: [
    assign('awaiting_approval'),
    note('awaiting_approval'),
    escalate('awaiting_approval'),
    cell(
      'approve',
      { approved: true, actor: MANAGER },
      {
        phase: 'awaiting_customer',
        view: { offer: expect.objectContaining({ kind: 'credit_note', approvedBy: MANAGER }) },
        record: {
          events: ['approved', 'phase_changed→awaiting_customer'],
          emails: [`offer → ${CUSTOMER}`],
          postings: [],
        },
      },
    ),
    withdraw(),
  ],
  awaiting_customer: [
    assign('awaiting_customer'),
    note('awaiting_customer'),
    escalate('awaiting_customer'),
    cell(
      'customerResponse',
      { accepted: true },
      {
        phase: 'monitoring',
        answered: 'correcting',
        concurrent: true,
        record: corrected('customer_accepted', 'credit_note'),
      },
    ),
    withdraw(),
  ],
  mediation: [
    assign('mediation'),
    note('mediation'),
    escalate('mediation'),
    cell(
      'mediationOutcome',
      { agreed: true, resolution: 'credit_note', amount: usd('400.00'), actor: MANAGER },
      {
        phase: 'monitoring',
        answered: 'correcting',
        concurrent: true,
        view: {
          offer: expect.objectContaining({ amount: usd('400.00'), approvedBy: MANAGER }),
        },
        record: corrected('mediation_outcome', 'credit_note'),
      },
    ),
    withdraw(),
  ],
  correcting: [assign('correcting'), note('correcting')],
  monitoring: [
    assign('monitoring'),
    note('monitoring'),
    withdraw({ corrected: true }),
    cell('reverse', reverseFirstDocument, {
      phase: 'awaiting_decision',
      view: { round: 2, offer: null, resolution: null, closedAt: null },
      record: {
        events: ['correction_reversed', 'phase_changed→awaiting_decision'],
        emails: [`correction_reversed → ${CUSTOMER}`],
        postings: ['reversal of credit_note'],
      },
    }),
  ],
  closed: [
    note('closed'),
    // A small undercharge written off by policy: closed with a correction to reverse.
    cell(
      'reverse',
      reverseFirstDocument,
      {
        phase: 'awaiting_decision',
        view: { round: 2, offer: null, resolution: null, rootCause: null, closedAt: null },
        record: {
          // A write-off issued the customer no document: nobody is told of its reversal.
          events: ['correction_reversed', 'phase_changed→awaiting_decision'],
          emails: [],
          postings: ['reversal of write_off'],
        },
      },
      async (world) => {
        const dispute = await world.open({ outcome: undercharged(DEFAULT_POLICY.writeOffLimit) });
        await dispute.waitForPhase('closed');
        await dispute.settled();
        return dispute;
      },
    ),
    cell(
      'reopen',
      { reason: 'the customer sent new evidence', actor: MANAGER },
      {
        phase: 'awaiting_decision',
        view: { round: 2, resolution: null, closedAt: null, offer: null, escalationLevel: 0 },
        record: { ...nothing(), events: ['reopened', 'phase_changed→awaiting_decision'] },
      },
    ),
  ],
};

/** A well-formed input for every action: a refusal is about the phase, never the input. */
const WELL_FORMED: { [A in ActionName]: ActionArgs<A> } = {
  assign: { assignee: 'agent-7' },
  note: { noteId: 'N-2' },
  submitFindings: { findings: [finding('pricing', '50.00')], verdict: 'overcharged' },
  decide: { resolution: 'credit_note', amount: usd('50.00'), byManager: false },
  approve: { approved: true, actor: MANAGER },
  customerResponse: { accepted: true },
  escalate: { reason: 'late' },
  withdraw: { reason: 'no longer needed' },
  mediationOutcome: {
    agreed: true,
    resolution: 'credit_note',
    amount: usd('50.00'),
    actor: MANAGER,
  },
  reopen: { reason: 'new evidence', actor: MANAGER },
  reverse: { documentNumber: 'CN-000001', reason: 'posted in error', actor: MANAGER },
};

/** Checks an action's answer, and what the dispute shows and recorded once it settled. */
async function expectSettled(
  dispute: Dispute,
  label: string,
  answer: unknown,
  effect: Effect,
  before: DisputeRecord,
): Promise<void> {
  expect(answer, label).toEqual({ disputeId: dispute.id, phase: effect.answered ?? effect.phase });
  const view = await dispute.settled();
  expect(view.phase, label).toBe(effect.phase);
  if (effect.view) expect(view, label).toMatchObject(effect.view);
  const order = effect.concurrent ? inAnyOrder : (s: RecordSummary): RecordSummary => s;
  expect(order(summarize(dispute.since(before))), label).toEqual(order(effect.record));
}

async function expectEffect(dispute: Dispute, c: Cell): Promise<void> {
  const label = `${c.action} in ${(await dispute.view()).phase}`;
  const before = dispute.record();
  const answer = await dispute.answer(c.action, argsOf(c, dispute));
  await expectSettled(dispute, label, answer, c.effect, before);
}

async function expectRefused(dispute: Dispute, phase: Phase, action: ActionName): Promise<void> {
  const label = `${action} in ${phase}`;
  const view = await dispute.view();
  const before = dispute.record();
  const failure = await dispute.refused(action, WELL_FORMED[action]);
  expect(failure.type, label).toBe('PhaseConflict');
  expect(failure.details, label).toEqual([{ phase, action }]);
  expect(await dispute.settled(), label).toEqual(view);
  expect(summarize(dispute.since(before)), label).toEqual(nothing());
}

/** What a dispute records when nothing interrupts its start, up to the held investigation. */
const UNTIL_INVESTIGATING = acknowledged({ events: ['phase_changed→investigating'], emails: [] });

/** Sends an action with the start of a new dispute: it reaches the workflow in acknowledging. */
async function expectEffectWhenAcknowledging(world: World, c: Cell): Promise<void> {
  const { dispute, answer } = await openAcknowledging(
    world,
    c.action,
    c.args as ActionArgs<ActionName>,
  );
  await expectSettled(dispute, `${c.action} in acknowledging`, await answer, c.effect, EMPTY);
}

async function expectRefusedWhenAcknowledging(world: World, action: ActionName): Promise<void> {
  const label = `${action} in acknowledging`;
  const { dispute, answer } = await openAcknowledging(world, action, WELL_FORMED[action]);
  const failure = await refusal(answer, label);
  expect(failure.type, label).toBe('PhaseConflict');
  expect(failure.details, label).toEqual([{ phase: 'acknowledging', action }]);
  // Refused, it changes nothing: the dispute starts as it would have without it.
  expect((await dispute.settled()).phase, label).toBe('investigating');
  expect(summarize(dispute.record()), label).toEqual(UNTIL_INVESTIGATING);
}

const EMPTY: DisputeRecord = {
  events: [],
  emails: [],
  postings: [],
  reversals: [],
  projections: [],
};

describe('every phase × every action', { timeout: 120_000 }, () => {
  it('lists every phase and every update', () => {
    expect(Object.keys(TABLE)).toEqual([...PHASES]);
    expect(ACTION_NAMES).toHaveLength(11);
  });

  for (const phase of PHASES) {
    const cells = TABLE[phase];
    const allowed = cells.map((c) => c.action);
    const refused = ACTION_NAMES.filter((a) => !allowed.includes(a));

    it(`${phase}: allows ${allowed.join(', ')}; refuses ${refused.join(', ')}`, () =>
      suite.run(async (world) => {
        if (phase === 'acknowledging') {
          for (const action of refused) await expectRefusedWhenAcknowledging(world, action);
          for (const c of cells) await expectEffectWhenAcknowledging(world, c);
          return;
        }
        const dispute = await driveTo(world, phase);
        for (const action of refused) await expectRefused(dispute, phase, action);

        // Actions that keep the phase run one after the other; each that leaves it gets its own dispute.
        const staying = cells.filter((c) => c.effect.phase === phase && !c.on);
        const leaving = cells.filter((c) => c.effect.phase !== phase || c.on);
        let unused: Dispute | null = dispute;
        for (const c of staying) await expectEffect(dispute, c);
        for (const c of leaving) {
          const on: Dispute = c.on ? await c.on(world) : (unused ?? (await driveTo(world, phase)));
          if (on === unused) unused = null;
          await expectEffect(on, c);
        }
      }));
  }
});

describe('withdrawn while the workflow is busy', { timeout: 120_000 }, () => {
  it('stays withdrawn once the investigation it interrupted completes', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'investigating');
      // The investigation holds no lock: the withdrawal is answered while it still runs.
      expect(await dispute.answer('withdraw', { reason: 'opened by mistake' })).toEqual({
        disputeId: dispute.id,
        phase: 'closed',
      });
      dispute.releaseHolds();
      await dispute.waitForRecord(
        'the interrupted investigation to finish',
        () => world.fakes.calls.get('investigate') === 1,
      );
      const view = await dispute.settled();
      expect(view).toMatchObject({ phase: 'closed', resolution: 'withdrawn', offer: null });
      expect(summarize(dispute.record())).toEqual(
        acknowledged({
          events: ['phase_changed→investigating', 'withdrawn', 'phase_changed→closed', 'closed'],
          emails: [],
        }),
      );
    }));
});

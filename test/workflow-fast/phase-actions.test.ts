// Every phase × every action, through the workflow's updates only: an action the phase allows has
// its effect (phase, view, timeline, emails, postings); any other is refused by the validator
// with PhaseConflict and changes nothing. The table is written out here, not derived from
// domain/lifecycle.ts, so a change of the rules fails this test until the table changes with it.
import { describe, expect, it } from 'vitest';
import { PHASES, type Phase } from '../../domain/dispute';
import { DEFAULT_POLICY } from '../../domain/policy';
import type { DisputeView } from '../../workflows/state';
import { CONTACT, MANAGER, finding, usd } from '../support/dispute-scripts';
import { DRIVE_AMOUNTS, driveTo } from '../support/drive-to';
import {
  ACTION_NAMES,
  type ActionArgs,
  type ActionName,
  type Dispute,
} from '../support/dispute-driver';
import { inAnyOrder, summarize, type RecordSummary } from '../support/dispute-record';
import { fakeDisputeSuite } from '../support/fake-disputes';

const suite = fakeDisputeSuite();

const CUSTOMER = CONTACT.email;
const [AGENTS, TEAM_LEAD] = DEFAULT_POLICY.contacts.map((c) => c.email);

interface Effect {
  /** The phase once the dispute has settled after the action. */
  phase: Phase;
  /** The handler and the workflow's main line record events side by side: their order varies. */
  concurrent?: boolean;
  view?: Partial<DisputeView> & Record<string, unknown>;
  record: RecordSummary;
}

interface Cell<A extends ActionName = ActionName> {
  action: A;
  args: ActionArgs<A>;
  effect: Effect;
}

const cell = <A extends ActionName>(action: A, args: ActionArgs<A>, effect: Effect): Cell => ({
  action,
  args,
  effect,
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
  cell(
    'note',
    { text: 'called the customer' },
    { phase, record: { ...nothing(), events: ['note'] } },
  );

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

/** Corrected and monitored: what accepting an offer, or agreeing in mediation, leads to. */
const corrected = (first: string, kind: string): RecordSummary => ({
  events: [first, 'phase_changed→correcting', 'corrected', 'phase_changed→monitoring'],
  emails: [`correction_confirmation → ${CUSTOMER}`],
  postings: [kind],
});

/** What each phase allows, with the effect of each allowed action. Everything else is refused. */
const TABLE: Record<Phase, Cell[]> = {
  acknowledging: [assign('acknowledging'), note('acknowledging'), withdraw()],
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
  monitoring: [assign('monitoring'), note('monitoring'), withdraw({ corrected: true })],
  closed: [
    note('closed'),
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
  note: { text: 'a note' },
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
};

async function expectEffect(dispute: Dispute, { action, args, effect }: Cell): Promise<void> {
  const label = `${action} in ${(await dispute.view()).phase}`;
  const before = dispute.record();
  await dispute.act(action, args);
  const view = await dispute.settled();
  expect(view.phase, label).toBe(effect.phase);
  if (effect.view) expect(view, label).toMatchObject(effect.view);
  const order = effect.concurrent ? inAnyOrder : (s: RecordSummary): RecordSummary => s;
  expect(order(summarize(dispute.since(before))), label).toEqual(order(effect.record));
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

describe('every phase × every action', { timeout: 120_000 }, () => {
  it('lists every phase and every update', () => {
    expect(Object.keys(TABLE)).toEqual([...PHASES]);
    expect(ACTION_NAMES).toHaveLength(10);
  });

  for (const phase of PHASES) {
    const cells = TABLE[phase];
    const allowed = cells.map((c) => c.action);
    const refused = ACTION_NAMES.filter((a) => !allowed.includes(a));

    it(`${phase}: allows ${allowed.join(', ')}; refuses ${refused.join(', ')}`, () =>
      suite.run(async (world) => {
        const dispute = await driveTo(world, phase);
        for (const action of refused) await expectRefused(dispute, phase, action);

        // Actions that keep the phase run one after the other; each that leaves it gets its own dispute.
        const staying = cells.filter((c) => c.effect.phase === phase);
        const leaving = cells.filter((c) => c.effect.phase !== phase);
        for (const c of staying) await expectEffect(dispute, c);
        for (const [i, c] of leaving.entries())
          await expectEffect(i === 0 ? dispute : await driveTo(world, phase), c);
      }));
  }
});

describe('withdrawn while the workflow is busy', { timeout: 120_000 }, () => {
  for (const phase of ['acknowledging', 'investigating'] as const) {
    it(`stays withdrawn once the ${phase} step it interrupted completes`, () =>
      suite.run(async (world) => {
        const dispute = await driveTo(world, phase);
        await dispute.act('withdraw', { reason: 'opened by mistake' });
        dispute.releaseHolds();
        await dispute.waitForRecord('the interrupted step to finish', () =>
          phase === 'acknowledging'
            ? world.fakes.emailsOf(dispute.id).some((e) => e.kind === 'acknowledgement')
            : world.fakes.calls.get('investigate') === 1,
        );
        const view = await dispute.settled();
        expect(view).toMatchObject({ phase: 'closed', resolution: 'withdrawn', offer: null });
        const { events, emails } = summarize(dispute.record());
        expect(events.filter((e) => e.startsWith('phase_changed')).at(-1)).toBe(
          'phase_changed→closed',
        );
        expect(emails.filter((e) => !e.startsWith('acknowledgement'))).toEqual([]);
        if (phase === 'acknowledging') expect(world.fakes.calls.get('investigate')).toBeUndefined();
      }));
  }
});

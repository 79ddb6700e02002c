import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessDays, isBusinessDay } from '../../domain/calendar';
import { PHASES, WAITING_PHASES, type Phase } from '../../domain/dispute';
import {
  ACTIONS,
  actionAllowed,
  next,
  TRANSITIONS,
  type DisputeEvent,
  type TransitionRule,
} from '../../domain/lifecycle';
import {
  afterRejection,
  autoResolution,
  decisionProblem,
  deadlineDays,
  nextEscalationLevel,
  needsApproval,
  policyLimit,
  rootCause,
} from '../../domain/policy-rules';
import { money, parseAmount } from '../../domain/money';
import { planInstallments } from '../../domain/ledger/payment-plan';
import { DEFAULT_POLICY } from '../../domain/policy';

const usd = (amount: string): ReturnType<typeof parseAmount> => parseAmount(amount, 'USD');
const at = (iso: string): number => Date.parse(iso);

describe('which actions each phase allows', () => {
  it('allows decisions, approvals and answers only in their own phase', () => {
    expect(PHASES.filter((p) => actionAllowed('decide', p))).toEqual(['awaiting_decision']);
    expect(PHASES.filter((p) => actionAllowed('approve', p))).toEqual(['awaiting_approval']);
    expect(PHASES.filter((p) => actionAllowed('customerResponse', p))).toEqual([
      'awaiting_customer',
    ]);
    expect(PHASES.filter((p) => actionAllowed('submitFindings', p))).toEqual(['awaiting_review']);
    expect(PHASES.filter((p) => actionAllowed('mediationOutcome', p))).toEqual(['mediation']);
    expect(PHASES.filter((p) => actionAllowed('reopen', p))).toEqual(['closed']);
  });

  it('lets a dispute be withdrawn from every open phase but correcting, never once closed', () => {
    expect(PHASES.filter((p) => !actionAllowed('withdraw', p))).toEqual(['correcting', 'closed']);
  });

  it('escalates by hand only where a deadline runs', () => {
    expect(PHASES.filter((p) => actionAllowed('escalate', p))).toEqual([...WAITING_PHASES]);
  });

  it('allows notes in every phase and every action somewhere', () => {
    expect(PHASES.every((p) => actionAllowed('note', p))).toBe(true);
    for (const action of ACTIONS) expect(PHASES.some((p) => actionAllowed(action, p))).toBe(true);
  });
});

describe('policy', () => {
  it('gives every waiting phase a deadline', () => {
    for (const phase of WAITING_PHASES)
      expect(deadlineDays(phase, DEFAULT_POLICY)).toBeGreaterThan(0);
  });

  it('reads limits in the currency of the dispute, dropping digits finer than its minor unit', () => {
    expect(policyLimit('100.00', 'USD')).toEqual(money(10_000n, 'USD'));
    expect(policyLimit('100.00', 'JPY')).toEqual(money(100n, 'JPY'));
    expect(policyLimit('100.5', 'KWD')).toEqual(money(100_500n, 'KWD'));
  });

  it('offers a credit by itself at or under the auto-approve limit, and writes off small undercharges', () => {
    expect(autoResolution('overcharged', usd('100.00'), DEFAULT_POLICY)).toEqual({
      kind: 'offer_credit',
      amount: usd('100.00'),
    });
    expect(autoResolution('overcharged', usd('100.01'), DEFAULT_POLICY)).toEqual({
      kind: 'manual',
    });
    expect(autoResolution('undercharged', usd('-25.00'), DEFAULT_POLICY)).toEqual({
      kind: 'write_off',
      amount: usd('25.00'),
    });
    expect(autoResolution('undercharged', usd('-25.01'), DEFAULT_POLICY)).toEqual({
      kind: 'manual',
    });
    expect(autoResolution('no_discrepancy', usd('0'), DEFAULT_POLICY)).toEqual({
      kind: 'explain_no_error',
    });
    expect(autoResolution('needs_review', usd('0'), DEFAULT_POLICY)).toEqual({ kind: 'manual' });
  });

  it('needs a manager above the agent limit unless a manager decided', () => {
    expect(needsApproval(usd('1000.00'), false, DEFAULT_POLICY)).toBe(false);
    expect(needsApproval(usd('1000.01'), false, DEFAULT_POLICY)).toBe(true);
    expect(needsApproval(usd('1000.01'), true, DEFAULT_POLICY)).toBe(false);
    expect(needsApproval(null, false, DEFAULT_POLICY)).toBe(false);
  });

  it('ends in mediation after the last round', () => {
    expect(afterRejection(1, DEFAULT_POLICY)).toBe('next_round');
    expect(afterRejection(DEFAULT_POLICY.maxRounds, DEFAULT_POLICY)).toBe('mediation');
  });

  it('escalates one level at a time up to finance/legal', () => {
    expect([0, 1, 2, 3, 4].map(nextEscalationLevel)).toEqual([1, 2, 3, 3, 3]);
  });
});

describe('decisions', () => {
  const base = {
    amount: usd('50.00'),
    installments: null,
    verdict: 'overcharged' as const,
    currency: 'USD',
  };
  it('accepts the remedies that fit the verdict', () => {
    expect(decisionProblem({ ...base, kind: 'credit_note' })).toBeNull();
    expect(decisionProblem({ ...base, kind: 'refund' })).toBeNull();
    expect(decisionProblem({ ...base, kind: 'debit_note', verdict: 'undercharged' })).toBeNull();
    expect(
      decisionProblem({ ...base, kind: 'payment_plan', installments: 3, verdict: 'undercharged' }),
    ).toBeNull();
    expect(decisionProblem({ ...base, kind: 'reject', amount: null })).toBeNull();
  });

  it('refuses a remedy that moves money the wrong way (issue 10, item 2)', () => {
    const kinds = [
      'credit_note',
      'refund',
      'corrected_invoice',
      'debit_note',
      'write_off',
    ] as const;
    const fits = (
      kind: (typeof kinds)[number] | 'payment_plan',
      verdict: 'overcharged' | 'undercharged',
    ): boolean =>
      decisionProblem({
        ...base,
        kind,
        verdict,
        installments: kind === 'payment_plan' ? 3 : null,
      }) === null;
    // A payment plan bills the customer: it never settles an overcharge.
    expect(decisionProblem({ ...base, kind: 'payment_plan', installments: 3 })).toBe(
      'payment_plan does not correct an overcharge',
    );
    expect([...kinds, 'payment_plan' as const].filter((k) => fits(k, 'overcharged'))).toEqual([
      'credit_note',
      'refund',
      'corrected_invoice',
    ]);
    expect([...kinds, 'payment_plan' as const].filter((k) => fits(k, 'undercharged'))).toEqual([
      'corrected_invoice',
      'debit_note',
      'write_off',
      'payment_plan',
    ]);
  });

  it('names what does not fit', () => {
    expect(decisionProblem({ ...base, kind: 'debit_note' })).toMatch(/overcharge/);
    expect(decisionProblem({ ...base, kind: 'credit_note', verdict: 'undercharged' })).toMatch(
      /undercharge/,
    );
    expect(decisionProblem({ ...base, kind: 'credit_note', amount: null })).toMatch(
      /needs an amount/,
    );
    expect(
      decisionProblem({ ...base, kind: 'credit_note', amount: parseAmount('5', 'EUR') }),
    ).toMatch(/USD/);
    expect(decisionProblem({ ...base, kind: 'credit_note', amount: usd('0') })).toMatch(
      /greater than zero/,
    );
    expect(
      decisionProblem({ ...base, kind: 'payment_plan', installments: 1, verdict: 'undercharged' }),
    ).toMatch(/2 to 24/);
    expect(decisionProblem({ ...base, kind: 'credit_note', installments: 2 })).toMatch(
      /payment plans only/,
    );
  });
});

describe('root cause', () => {
  it('is the rule behind the largest discrepancy, whatever its sign', () => {
    const f = (
      rule: string,
      amount: string,
    ): { rule: string; delta: { amount: string; currency: string } } => ({
      rule,
      delta: { amount, currency: 'USD' },
    });
    expect(
      rootCause([f('tax', '10.00'), f('pricing', '-400.00'), f('discount', '399.99')], 'no_error'),
    ).toBe('pricing');
    expect(rootCause([], 'withdrawn')).toBe('withdrawn');
  });
});

describe('business days', () => {
  it('skips weekends and holidays and keeps the time of day', () => {
    // 2026-11-20 is a Friday.
    expect(new Date(addBusinessDays(at('2026-11-20T15:00:00Z'), 1, [])).toISOString()).toBe(
      '2026-11-23T15:00:00.000Z',
    );
    expect(
      new Date(addBusinessDays(at('2026-11-20T15:00:00Z'), 2, ['2026-11-23'])).toISOString(),
    ).toBe('2026-11-25T15:00:00.000Z');
    expect(new Date(addBusinessDays(at('2026-11-21T09:00:00Z'), 1, [])).toISOString()).toBe(
      '2026-11-23T09:00:00.000Z',
    );
  });

  it('always lands on a business day, n business days later', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 1, max: 30 }), (day, n) => {
        const from = at('2026-01-01T10:00:00Z') + day * 86_400_000;
        const to = addBusinessDays(from, n, []);
        expect(isBusinessDay(to, new Set())).toBe(true);
        let count = 0;
        for (let t = from + 86_400_000; t <= to; t += 86_400_000)
          if (isBusinessDay(t, new Set())) count += 1;
        expect(count).toBe(n);
      }),
    );
  });
});

describe('payment plans', () => {
  it('splits an amount exactly, the remainder on the first installments, due every 30 days', () => {
    const plan = planInstallments(usd('100.00'), 3, at('2026-01-01T00:00:00Z'));
    expect(plan.map((i) => i.amount.minor)).toEqual([3334n, 3333n, 3333n]);
    expect(plan.map((i) => i.dueOn)).toEqual(['2026-01-31', '2026-03-02', '2026-04-01']);
  });

  it('always sums to the total', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 1, max: 24 }),
        (minor, n) => {
          const plan = planInstallments(money(minor, 'USD'), n, 0);
          expect(plan.reduce((s, i) => s + i.amount.minor, 0n)).toBe(minor);
          expect(plan).toHaveLength(n);
        },
      ),
    );
  });
});

describe('the lifecycle table', () => {
  const policy = { ...DEFAULT_POLICY, autoApproveLimit: '100.00', writeOffLimit: '25.00' };
  const over = (amount: string): Extract<DisputeEvent, { type: 'investigated' }> => ({
    type: 'investigated',
    verdict: 'overcharged',
    totalDelta: usd(amount),
    reviewFirst: false,
  });
  // [phase, event, where it goes, resolution]: the whole lifecycle, written out by hand.
  const cases: [Phase, Parameters<typeof next>[1], Phase, string | null][] = [
    ['acknowledging', { type: 'acknowledged' }, 'investigating', null],
    ['investigating', over('40.00'), 'awaiting_customer', null],
    ['investigating', { type: 'investigation_failed' }, 'awaiting_review', null],
    ['investigating', over('400.00'), 'awaiting_decision', null],
    ['investigating', { ...over('40.00'), reviewFirst: true }, 'awaiting_review', null],
    [
      'investigating',
      { type: 'investigated', verdict: 'needs_review', totalDelta: usd('0'), reviewFirst: false },
      'awaiting_review',
      null,
    ],
    [
      'investigating',
      {
        type: 'investigated',
        verdict: 'undercharged',
        totalDelta: usd('-20.00'),
        reviewFirst: false,
      },
      'correcting',
      null,
    ],
    [
      'investigating',
      {
        type: 'investigated',
        verdict: 'undercharged',
        totalDelta: usd('-90.00'),
        reviewFirst: false,
      },
      'awaiting_decision',
      null,
    ],
    [
      'investigating',
      { type: 'investigated', verdict: 'no_discrepancy', totalDelta: usd('0'), reviewFirst: false },
      'closed',
      'no_error',
    ],
    [
      'awaiting_review',
      { type: 'findings_reviewed', verdict: 'overcharged', totalDelta: usd('40.00') },
      'awaiting_customer',
      null,
    ],
    [
      'awaiting_review',
      { type: 'findings_reviewed', verdict: 'no_discrepancy', totalDelta: usd('0') },
      'closed',
      'no_error',
    ],
    [
      'awaiting_review',
      { type: 'findings_reviewed', verdict: 'undercharged', totalDelta: usd('-10.00') },
      'correcting',
      null,
    ],
    [
      'awaiting_review',
      { type: 'findings_reviewed', verdict: 'overcharged', totalDelta: usd('900.00') },
      'awaiting_decision',
      null,
    ],
    [
      'awaiting_decision',
      { type: 'decided', kind: 'reject', amount: null, byManager: false },
      'closed',
      'no_error',
    ],
    [
      'awaiting_decision',
      { type: 'decided', kind: 'credit_note', amount: usd('5000.00'), byManager: false },
      'awaiting_approval',
      null,
    ],
    [
      'awaiting_decision',
      { type: 'decided', kind: 'credit_note', amount: usd('5000.00'), byManager: true },
      'awaiting_customer',
      null,
    ],
    [
      'awaiting_decision',
      { type: 'decided', kind: 'write_off', amount: usd('20.00'), byManager: false },
      'correcting',
      null,
    ],
    ['awaiting_approval', { type: 'approved', kind: 'refund' }, 'awaiting_customer', null],
    ['awaiting_approval', { type: 'approved', kind: 'write_off' }, 'correcting', null],
    ['awaiting_approval', { type: 'sent_back' }, 'awaiting_decision', null],
    ['awaiting_customer', { type: 'customer_accepted' }, 'correcting', null],
    ['awaiting_customer', { type: 'customer_rejected', round: 1 }, 'awaiting_decision', null],
    ['awaiting_customer', { type: 'customer_rejected', round: 3 }, 'mediation', null],
    ['mediation', { type: 'mediation_concluded', agreed: true }, 'correcting', null],
    ['mediation', { type: 'mediation_concluded', agreed: false }, 'closed', 'mediated'],
    ['correcting', { type: 'corrected', kind: 'credit_note' }, 'monitoring', null],
    ['correcting', { type: 'corrected', kind: 'write_off' }, 'closed', 'written_off'],
    ['monitoring', { type: 'monitoring_ended', mediated: false }, 'closed', 'corrected'],
    ['monitoring', { type: 'monitoring_ended', mediated: true }, 'closed', 'mediated'],
    ['awaiting_customer', { type: 'withdrawn' }, 'closed', 'withdrawn'],
    ['acknowledging', { type: 'withdrawn' }, 'closed', 'withdrawn'],
    ['closed', { type: 'reopened' }, 'awaiting_decision', null],
    ['correcting', { type: 'correction_failed' }, 'awaiting_decision', null],
    ['monitoring', { type: 'reversed' }, 'awaiting_decision', null],
    ['closed', { type: 'reversed' }, 'awaiting_decision', null],
  ];

  it.each(cases)('%s + %o → %s (%s)', (phase, event, to, resolution) => {
    expect(next(phase, event, policy)).toMatchObject({ from: phase, to, resolution });
  });

  it('refuses what a phase does not accept', () => {
    expect(next('correcting', { type: 'withdrawn' }, policy)).toBeNull();
    expect(next('closed', { type: 'withdrawn' }, policy)).toBeNull();
    expect(next('awaiting_decision', { type: 'customer_accepted' }, policy)).toBeNull();
    expect(next('monitoring', { type: 'reopened' }, policy)).toBeNull();
    expect(next('awaiting_review', { type: 'acknowledged' }, policy)).toBeNull();
    expect(next('awaiting_customer', { type: 'reversed' }, policy)).toBeNull();
    expect(next('monitoring', { type: 'correction_failed' }, policy)).toBeNull();
  });

  it('has exactly one rule for each phase, event and outcome, and every rule is reachable', () => {
    const keys = TRANSITIONS.flatMap((r) => r.from.map((p) => `${p}|${r.on}|${r.when ?? '*'}`));
    expect(new Set(keys).size).toBe(keys.length);
    const used = new Set(cases.map(([phase, event]) => TRANSITIONS.indexOf(ruleFor(phase, event))));
    expect([...TRANSITIONS.keys()].filter((i) => !used.has(i))).toEqual([]);
  });

  it('closes a dispute only with a resolution, and every phase but the first can be reached', () => {
    for (const rule of TRANSITIONS)
      expect(rule.to === 'closed').toBe(rule.resolution !== undefined);
    const reached = new Set(TRANSITIONS.map((r) => r.to));
    expect(PHASES.filter((p) => !reached.has(p))).toEqual(['acknowledging']);
  });

  function ruleFor(phase: Phase, event: Parameters<typeof next>[1]): TransitionRule {
    const t = next(phase, event, policy)!;
    return TRANSITIONS.find(
      (r) => r.on === event.type && r.from.includes(phase) && (r.when ?? t.outcome) === t.outcome,
    )!;
  }
});

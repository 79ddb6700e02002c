// Well-formed actions in the right phase that do not fit the dispute: the validator refuses them
// with Unprocessable (API 422) and the dispute is left exactly as it was.
import { describe, expect, it } from 'vitest';
import type { Phase } from '../../domain/dispute';
import { MANAGER, finding, undercharged, usd } from '../support/dispute-scripts';
import { driveTo } from '../support/drive-to';
import { type ActionArgs, type ActionName, type Dispute } from '../support/dispute-driver';
import { summarize } from '../support/dispute-record';
import { fakeDisputeSuite } from '../support/fake-disputes';

const suite = fakeDisputeSuite();

async function expectUnprocessable<A extends ActionName>(
  dispute: Dispute,
  action: A,
  args: ActionArgs<A>,
  why: RegExp,
): Promise<void> {
  const label = `${action} ${JSON.stringify(args)}`;
  const view = await dispute.view();
  const before = dispute.record();
  const failure = await dispute.refused(action, args);
  expect(failure.type, label).toBe('Unprocessable');
  expect(failure.message, label).toMatch(why);
  expect(await dispute.settled(), label).toEqual(view);
  expect(summarize(dispute.since(before)), label).toEqual({
    events: [],
    emails: [],
    postings: [],
  });
}

const decision = (
  resolution: ActionArgs<'decide'>['resolution'],
  amount: string | null,
  extra: Partial<ActionArgs<'decide'>> = {},
): ActionArgs<'decide'> => ({
  resolution,
  ...(amount === null ? {} : { amount: usd(amount) }),
  byManager: false,
  ...extra,
});

describe('actions that do not fit the dispute', { timeout: 120_000 }, () => {
  it('refuses decisions that do not fit an overcharge, or are incomplete', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_decision');
      const cases: [ActionArgs<'decide'>, RegExp][] = [
        [decision('debit_note', '100.00'), /debit_note does not correct an overcharge/],
        [decision('write_off', '100.00'), /write_off does not correct an overcharge/],
        [decision('credit_note', null), /credit_note needs an amount/],
        [decision('refund', '0.00'), /greater than zero/],
        [
          { ...decision('credit_note', null), amount: { amount: '100.00', currency: 'EUR' } },
          /must be in USD/,
        ],
        [
          { ...decision('credit_note', null), amount: { amount: '1.005', currency: 'USD' } },
          /USD amounts have at most 2 decimal places/,
        ],
        [decision('payment_plan', '300.00'), /2 to 24 installments/],
        [decision('payment_plan', '300.00', { installments: 1 }), /2 to 24 installments/],
        [decision('payment_plan', '300.00', { installments: 25 }), /2 to 24 installments/],
        [decision('credit_note', '300.00', { installments: 3 }), /payment plans only/],
        [decision('reject', '10.00'), /a rejection carries no amount/],
      ];
      for (const [args, why] of cases) await expectUnprocessable(dispute, 'decide', args, why);
    }));

  it('refuses remedies that would credit an undercharged customer', () =>
    suite.run(async (world) => {
      const dispute = await world.open({ outcome: undercharged('300.00') });
      await dispute.waitForPhase('awaiting_decision');
      await dispute.settled();
      for (const resolution of ['credit_note', 'refund'] as const) {
        await expectUnprocessable(
          dispute,
          'decide',
          decision(resolution, '300.00'),
          new RegExp(`${resolution} does not correct an undercharge`),
        );
      }
    }));

  it('refuses review findings that contradict their verdict', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_review');
      const cases: [ActionArgs<'submitFindings'>, RegExp][] = [
        [{ findings: [finding('pricing', '50.00')], verdict: 'needs_review' }, /needs_review/],
        [
          { findings: [finding('pricing', '50.00')], verdict: 'undercharged' },
          /sum to an overcharge, which contradicts the verdict undercharged/,
        ],
        [
          { findings: [finding('unbilled', '-50.00')], verdict: 'overcharged' },
          /sum to an undercharge, which contradicts the verdict overcharged/,
        ],
        [{ findings: [], verdict: 'overcharged' }, /sum to zero/],
        [
          { findings: [finding('pricing', '50.00')], verdict: 'no_discrepancy' },
          /contradicts the verdict no_discrepancy/,
        ],
        [
          {
            findings: [
              { ...finding('pricing', '50.00'), delta: { amount: '50.00', currency: 'EUR' } },
            ],
            verdict: 'overcharged',
          },
          /must be in USD/,
        ],
      ];
      for (const [args, why] of cases)
        await expectUnprocessable(dispute, 'submitFindings', args, why);
    }));

  it('refuses a mediation agreement that does not fit the findings', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'mediation');
      const agreed = (
        resolution: ActionArgs<'mediationOutcome'>['resolution'],
        amount?: string,
      ): ActionArgs<'mediationOutcome'> => ({
        agreed: true,
        resolution,
        ...(amount ? { amount: usd(amount) } : {}),
        actor: MANAGER,
      });
      await expectUnprocessable(
        dispute,
        'mediationOutcome',
        agreed('debit_note', '100.00'),
        /debit_note does not correct an overcharge/,
      );
      await expectUnprocessable(
        dispute,
        'mediationOutcome',
        agreed('credit_note'),
        /credit_note needs an amount/,
      );
    }));

  it('checks the fit against the verdict in force: a review that finds an undercharge turns remedies around', () =>
    suite.run(async (world) => {
      const dispute = await driveTo(world, 'awaiting_review');
      await dispute.act('submitFindings', {
        findings: [finding('unbilled', '-300.00')],
        verdict: 'undercharged',
      });
      const phase: Phase = (await dispute.settled()).phase;
      expect(phase).toBe('awaiting_decision');
      await expectUnprocessable(
        dispute,
        'decide',
        decision('credit_note', '300.00'),
        /does not correct an undercharge/,
      );
      const offered = await dispute.act('decide', decision('debit_note', '300.00'));
      expect(offered.phase).toBe('awaiting_customer');
    }));
});

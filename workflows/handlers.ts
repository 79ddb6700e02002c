// The updates people use to steer a dispute. Validators reject an action the phase does not allow
// (PhaseConflict, API 409) or that does not fit the dispute (Unprocessable, API 422); handlers
// change the view and persist it before they answer.
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import type { Phase } from '../domain/dispute';
import {
  actionAllowed,
  afterRejection,
  decisionProblem,
  needsApproval,
  policyLimit,
  type Action,
} from '../domain/lifecycle';
import { fromMoneyDto, toMoneyDto, totalDelta } from '../domain/money';
import * as activities from './activities';
import type { DisputeContext } from './context';
import { escalate } from './escalation';
import {
  approveUpdate,
  assignUpdate,
  customerResponseUpdate,
  decideUpdate,
  type DecisionInput,
  escalateUpdate,
  type FindingsInput,
  mediationOutcomeUpdate,
  type MediationOutcomeInput,
  noteUpdate,
  PHASE_CONFLICT,
  reopenUpdate,
  submitFindingsUpdate,
  UNPROCESSABLE,
  withdrawUpdate,
} from './messages';
import {
  afterInvestigation,
  closeDispute,
  explainAndClose,
  proposalOf,
  sendOffer,
  setOffer,
} from './phases/resolution';

export function phaseConflict(phase: Phase, action: Action): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `Cannot ${action} while the dispute is ${phase}`,
    PHASE_CONFLICT,
    {
      phase,
      action,
    },
  );
}

function unprocessable(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, UNPROCESSABLE);
}

export function registerActions(ctx: DisputeContext): void {
  const { view } = ctx;
  const allow = (action: Action): void => {
    if (!actionAllowed(action, view.phase)) throw phaseConflict(view.phase, action);
  };

  setHandler(
    assignUpdate,
    async ({ assignee, actor }) => {
      view.assignee = assignee;
      await ctx.project();
      await ctx.record('assigned', actor, { assignee });
      const team = ctx.staffContact(0);
      await ctx.email('assignment', team, {
        kind: 'assignment',
        data: {
          ...ctx.staffRef({ ...team, name: assignee }),
          assignee,
          assignedBy: actor,
          reason: ctx.input.reason,
          phase: view.phase,
          escalationLevel: Math.min(view.escalationLevel, 3) as 0 | 1 | 2 | 3,
          deadline: view.deadline,
          claimedAmount: ctx.input.claimedAmount,
          totalDelta: view.totalDelta,
        },
      });
      return view;
    },
    { validator: (_input) => allow('assign') },
  );

  setHandler(
    noteUpdate,
    async ({ text, actor }) => {
      await ctx.record('note', actor, { text });
      return view;
    },
    { validator: (_input) => allow('note') },
  );

  setHandler(
    submitFindingsUpdate,
    async ({ findings, verdict, actor }) => {
      view.findings = findings;
      view.verdict = verdict;
      view.totalDelta = toMoneyDto(totalDelta(findings, ctx.input.currency));
      ctx.runtime.reviewed = true;
      await activities.db.saveFindings(ctx.id, findings);
      await ctx.record('findings_submitted', actor, {
        verdict,
        totalDelta: view.totalDelta,
        findings: findings.length,
      });
      await afterInvestigation(ctx);
      return view;
    },
    {
      validator: ({ findings, verdict }: FindingsInput) => {
        allow('submitFindings');
        if (verdict === 'needs_review')
          throw unprocessable('a review must conclude with a verdict other than needs_review');
        if (findings.some((f) => f.delta.currency !== ctx.input.currency)) {
          throw unprocessable(`every finding's delta must be in ${ctx.input.currency}`);
        }
        const total = totalDelta(findings, ctx.input.currency).minor;
        const expected =
          verdict === 'overcharged'
            ? total > 0n
            : verdict === 'undercharged'
              ? total < 0n
              : total === 0n;
        if (!expected)
          throw unprocessable(
            `the findings sum to ${total < 0n ? 'an undercharge' : total > 0n ? 'an overcharge' : 'zero'}, which contradicts the verdict ${verdict}`,
          );
      },
    },
  );

  setHandler(
    decideUpdate,
    async ({ resolution, amount, installments, explanation, byManager, actor }) => {
      await ctx.record('decided', actor, { resolution, amount, installments, explanation });
      if (resolution === 'reject') {
        await explainAndClose(ctx, actor, explanation ?? null);
        return view;
      }
      setOffer(
        ctx,
        {
          kind: resolution,
          amount: amount ?? null,
          installments: installments ?? null,
          explanation: explanation ?? null,
        },
        actor,
      );
      if (needsApproval(amount ? fromMoneyDto(amount) : null, byManager, ctx.policy)) {
        await ctx.enter('awaiting_approval', actor);
        const manager = ctx.staffContact(2);
        await ctx.email('approval_requested', manager, {
          kind: 'approval_requested',
          data: {
            ...ctx.staffRef(manager),
            requestedBy: actor,
            proposal: proposalOf(view.offer!, ctx.now().getTime()),
            agentLimit: toMoneyDto(policyLimit(ctx.policy.agentLimit, ctx.input.currency)),
            explanation: explanation ?? null,
            totalDelta: view.totalDelta,
            approveBy: view.deadline ?? ctx.now().toISOString(),
          },
        });
      } else {
        if (byManager) view.offer!.approvedBy = actor;
        await sendOffer(ctx, actor);
      }
      return view;
    },
    {
      validator: ({ resolution, amount, installments }: DecisionInput) => {
        allow('decide');
        let parsed = null;
        if (amount) {
          try {
            parsed = fromMoneyDto(amount);
          } catch (error) {
            throw unprocessable(error instanceof Error ? error.message : 'invalid amount');
          }
        }
        const problem = decisionProblem({
          kind: resolution,
          amount: parsed,
          installments: installments ?? null,
          verdict: view.verdict,
          currency: ctx.input.currency,
        });
        if (problem) throw unprocessable(problem);
      },
    },
  );

  setHandler(
    approveUpdate,
    async ({ approved, comment, actor }) => {
      await ctx.record(approved ? 'approved' : 'sent_back', actor, { comment });
      if (approved) {
        view.offer!.approvedBy = actor;
        await sendOffer(ctx, actor);
      } else {
        view.offer = null;
        await ctx.enter('awaiting_decision', actor);
      }
      return view;
    },
    { validator: (_input) => allow('approve') },
  );

  setHandler(
    customerResponseUpdate,
    async ({ accepted, comment, actor }) => {
      await ctx.record(accepted ? 'customer_accepted' : 'customer_rejected', actor, {
        comment,
        round: view.round,
      });
      if (accepted) {
        await ctx.enter('correcting', actor);
        return view;
      }
      const next = afterRejection(view.round, ctx.policy);
      const lastOffer = view.offer;
      const team = ctx.staffContact(view.escalationLevel);
      if (next === 'mediation') {
        await ctx.enter('mediation', actor);
      } else {
        view.round += 1;
        view.offer = null;
        await ctx.enter('awaiting_decision', actor);
      }
      await ctx.email('customer_rejected', team, {
        kind: 'customer_rejected',
        data: {
          ...ctx.staffRef(team),
          proposal: proposalOf(lastOffer!, ctx.now().getTime()),
          round: lastOffer?.round ?? view.round,
          maxRounds: ctx.policy.maxRounds,
          comment: comment ?? null,
          nextStep: next === 'mediation' ? 'mediation' : 'new_round',
          decideBy: view.deadline,
        },
      });
      if (next === 'mediation') {
        const manager = ctx.staffContact(2);
        await ctx.email('mediation_started', manager, {
          kind: 'mediation_started',
          data: {
            ...ctx.staffRef(manager),
            rounds: view.round,
            lastProposal: lastOffer ? proposalOf(lastOffer, ctx.now().getTime()) : null,
            totalDelta: view.totalDelta,
            outcomeBy: view.deadline ?? ctx.now().toISOString(),
          },
        });
      }
      return view;
    },
    { validator: (_input) => allow('customerResponse') },
  );

  setHandler(
    escalateUpdate,
    async ({ reason, actor }) => {
      await escalate(ctx, 'manual', actor, reason);
      return view;
    },
    { validator: (_input) => allow('escalate') },
  );

  setHandler(
    withdrawUpdate,
    async ({ reason, actor }) => {
      await ctx.record('withdrawn', actor, { reason });
      await closeDispute(ctx, 'withdrawn', actor);
      return view;
    },
    { validator: (_input) => allow('withdraw') },
  );

  setHandler(
    mediationOutcomeUpdate,
    async ({ agreed, resolution, amount, actor }) => {
      await ctx.record('mediation_outcome', actor, { agreed, resolution, amount });
      ctx.runtime.mediated = true;
      if (agreed && resolution && resolution !== 'reject') {
        setOffer(
          ctx,
          { kind: resolution, amount: amount ?? null, installments: null, explanation: null },
          actor,
        );
        view.offer!.approvedBy = actor;
        await ctx.enter('correcting', actor);
      } else {
        await closeDispute(ctx, 'mediated', actor);
      }
      return view;
    },
    {
      validator: ({ agreed, resolution, amount }: MediationOutcomeInput) => {
        allow('mediationOutcome');
        if (!agreed || !resolution || resolution === 'reject') return;
        const problem = decisionProblem({
          kind: resolution,
          amount: amount ? fromMoneyDto(amount) : null,
          installments: resolution === 'payment_plan' ? 2 : null,
          verdict: view.verdict,
          currency: ctx.input.currency,
        });
        if (problem) throw unprocessable(problem);
      },
    },
  );

  setHandler(
    reopenUpdate,
    async ({ reason, actor }) => {
      ctx.runtime.reopenRequested = true;
      view.resolution = null;
      view.rootCause = null;
      view.closedAt = null;
      view.offer = null;
      view.escalationLevel = 0;
      view.round += 1;
      await ctx.record('reopened', actor, { reason });
      await ctx.enter('awaiting_decision', actor);
      return view;
    },
    {
      validator: (_input) => {
        allow('reopen');
        if (ctx.now().getTime() >= ctx.reopenDeadline()) throw phaseConflict(view.phase, 'reopen');
      },
    },
  );
}

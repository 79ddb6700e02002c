// What people do to a dispute (the updates of workflows/messages.ts). Each validator rejects an
// action the phase does not allow (PhaseConflict, API 409) or that does not fit the dispute
// (Unprocessable, API 422). Each handler runs through `perform`: once per update id, one change
// at a time (validated again when its turn comes, so of two racing actions that conflict only the
// first succeeds), changing the view through the lifecycle table and persisting it before it
// answers with a small result.
import { ApplicationFailure, currentUpdateInfo, patched } from '@temporalio/workflow';
import type { Phase } from '../domain/dispute';
import { actionAllowed, type Action } from '../domain/lifecycle';
import { fromMoneyDto, toMoneyDto, totalDelta, type Money } from '../domain/money';
import { decisionProblem } from '../domain/policy-rules';
import * as activities from './activities';
import { PATCHES, type DisputeContext } from './context';
import { escalate } from './escalation';
import type {
  ApprovalInput,
  AssignInput,
  CustomerResponseInput,
  DecisionInput,
  EscalateInput,
  FindingsInput,
  MediationOutcomeInput,
  NoteInput,
  ReopenInput,
  ReverseInput,
  WithdrawInput,
} from './messages';
import { PHASE_CONFLICT, UNPROCESSABLE } from './messages';
import * as staff from './notify/staff';
import { sendOffer, setOffer } from './offers';
import * as customer from './notify/customer';
import { correctionRequest } from './phases/correction';
import { afterFindings, explainAndClose } from './phases/resolution';
import { businessFailure } from './failures';
import type { ActionResult, DisputeView, Offer } from './state';

/** Completed update ids remembered across continue-as-new, for clients' retries. */
const REMEMBERED_UPDATES = 200;

function phaseConflict(phase: Phase, action: Action): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `Cannot ${action} while the dispute is ${phase}`,
    PHASE_CONFLICT,
    { phase, action },
  );
}

function unprocessable(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, UNPROCESSABLE);
}

export class DisputeActions {
  constructor(private readonly ctx: DisputeContext) {}

  private get view(): DisputeView {
    return this.ctx.view;
  }

  /** Throws PhaseConflict unless the dispute's phase allows `action`. */
  allow(action: Action): void {
    if (!actionAllowed(action, this.view.phase)) throw phaseConflict(this.view.phase, action);
  }

  /** The validator of an action that only the phase can refuse. */
  allows(action: Action): () => void {
    return () => this.allow(action);
  }

  /** An update id this dispute already answered (a client's retry), with its answer. */
  private answered(): ActionResult | undefined {
    const id = currentUpdateInfo()?.id;
    return this.ctx.runtime.completedUpdates?.find((u) => u.id === id)?.result;
  }

  /** A validator that lets a retry of an answered update through, to get the same answer. */
  admits<A extends unknown[]>(validate: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      if (!this.answered()) validate(...args);
    };
  }

  /** Runs an action once per update id, when no other change is under way, validated again then. */
  perform<A extends unknown[]>(
    validate: (...args: A) => void,
    work: (...args: A) => Promise<void>,
  ): (...args: A) => Promise<ActionResult> {
    return async (...args) => {
      const earlier = this.answered();
      if (earlier) return earlier;
      return this.ctx.exclusive(async () => {
        validate(...args);
        await work(...args);
        const result: ActionResult = { disputeId: this.ctx.id, phase: this.view.phase };
        const id = currentUpdateInfo()?.id;
        if (id !== undefined) {
          const completed = (this.ctx.runtime.completedUpdates ??= []);
          completed.push({ id, result });
          completed.splice(0, Math.max(completed.length - REMEMBERED_UPDATES, 0));
        }
        return result;
      });
    };
  }

  readonly assign = async ({ assignee, actor }: AssignInput): Promise<void> => {
    this.view.assignee = assignee;
    await this.ctx.project();
    await this.ctx.record('assigned', actor, { assignee });
    await staff.assignment(this.ctx, assignee, actor);
  };

  readonly note = async ({ noteId, actor }: NoteInput): Promise<void> => {
    await this.ctx.record('note', actor, { noteId });
  };

  readonly validateFindings = ({ findings, verdict }: FindingsInput): void => {
    this.allow('submitFindings');
    if (verdict === 'needs_review')
      throw unprocessable('a review must conclude with a verdict other than needs_review');
    const { currency } = this.ctx.input;
    if (findings.some((f) => f.delta.currency !== currency))
      throw unprocessable(`every finding's delta must be in ${currency}`);
    const total = totalDelta(findings, currency).minor;
    const fits =
      verdict === 'overcharged'
        ? total > 0n
        : verdict === 'undercharged'
          ? total < 0n
          : total === 0n;
    if (!fits) {
      const sign = total < 0n ? 'an undercharge' : total > 0n ? 'an overcharge' : 'zero';
      throw unprocessable(`the findings sum to ${sign}, which contradicts the verdict ${verdict}`);
    }
  };

  readonly submitFindings = async ({ findings, verdict, actor }: FindingsInput): Promise<void> => {
    const { ctx, view } = this;
    const total = totalDelta(findings, ctx.input.currency);
    view.findings = findings;
    view.verdict = verdict;
    view.totalDelta = toMoneyDto(total);
    ctx.runtime.reviewed = true;
    await activities.db.saveFindings(ctx.id, findings);
    await ctx.record('findings_submitted', actor, {
      verdict,
      totalDelta: view.totalDelta,
      findings: findings.length,
    });
    await afterFindings(ctx, { type: 'findings_reviewed', verdict, totalDelta: total });
  };

  readonly validateDecision = ({ resolution, amount, installments }: DecisionInput): void => {
    this.allow('decide');
    this.checkRemedy(resolution, amount ? this.money(amount) : null, installments ?? null);
  };

  readonly decide = async (input: DecisionInput): Promise<void> => {
    const { ctx, view } = this;
    const { resolution, amount, installments, explanation, byManager, actor } = input;
    if (resolution !== 'reject')
      await this.checkPosting({
        kind: resolution,
        amount: amount ?? null,
        installments: installments ?? null,
        approvedBy: byManager ? actor : null,
      });
    await ctx.record('decided', actor, { resolution, amount, installments, explanation });
    const transition = ctx.plan({
      type: 'decided',
      kind: resolution,
      amount: amount ? fromMoneyDto(amount) : null,
      byManager,
    });
    if (transition.outcome === 'reject') {
      await explainAndClose(ctx, transition, actor, explanation ?? null);
      return;
    }
    const decision = {
      kind: resolution,
      amount: amount ?? null,
      installments: installments ?? null,
      explanation: explanation ?? null,
    };
    setOffer(ctx, decision, actor);
    const offer = view.offer!;
    if (transition.outcome === 'above_limit') {
      await ctx.enter(transition, actor);
      await staff.approvalRequested(ctx, offer, actor);
      return;
    }
    if (byManager) offer.approvedBy = actor;
    await sendOffer(ctx, transition, actor);
  };

  readonly approve = async ({ approved, comment, actor }: ApprovalInput): Promise<void> => {
    const { ctx, view } = this;
    const offer = view.offer!;
    if (approved) await this.checkPosting({ ...offer, approvedBy: actor });
    await ctx.record(approved ? 'approved' : 'sent_back', actor, { comment });
    if (approved) {
      offer.approvedBy = actor;
      await sendOffer(ctx, ctx.plan({ type: 'approved', kind: offer.kind }), actor);
    } else {
      const transition = ctx.plan({ type: 'sent_back' });
      view.offer = null;
      await ctx.enter(transition, actor);
    }
  };

  readonly customerResponse = async ({
    accepted,
    comment,
    actor,
  }: CustomerResponseInput): Promise<void> => {
    const { ctx, view } = this;
    await ctx.record(accepted ? 'customer_accepted' : 'customer_rejected', actor, {
      comment,
      round: view.round,
    });
    if (accepted) {
      await ctx.enter(ctx.plan({ type: 'customer_accepted' }), actor);
      return;
    }
    const rejected = view.offer!;
    const transition = ctx.plan({ type: 'customer_rejected', round: view.round });
    if (transition.to !== 'mediation') {
      view.round += 1;
      view.offer = null;
    }
    await ctx.enter(transition, actor);
    const nextStep = transition.to === 'mediation' ? 'mediation' : 'new_round';
    await staff.customerRejected(ctx, rejected, comment ?? null, nextStep);
  };

  readonly escalate = async ({ reason, actor }: EscalateInput): Promise<void> => {
    await escalate(this.ctx, 'manual', actor, reason);
  };

  readonly withdraw = async ({ reason, actor }: WithdrawInput): Promise<void> => {
    await this.ctx.record('withdrawn', actor, { reason });
    await this.ctx.enter(this.ctx.plan({ type: 'withdrawn' }), actor);
  };

  readonly validateMediationOutcome = ({
    agreed,
    resolution,
    amount,
    installments,
  }: MediationOutcomeInput): void => {
    this.allow('mediationOutcome');
    if (!agreed || !resolution || resolution === 'reject') return;
    this.checkRemedy(resolution, amount ? this.money(amount) : null, installments ?? null);
  };

  readonly mediationOutcome = async ({
    agreed,
    resolution,
    amount,
    installments,
    actor,
  }: MediationOutcomeInput): Promise<void> => {
    const { ctx, view } = this;
    const settled = agreed && resolution !== undefined && resolution !== 'reject';
    const decision = settled
      ? { kind: resolution, amount: amount ?? null, installments: installments ?? null }
      : null;
    if (decision) await this.checkPosting({ ...decision, approvedBy: actor });
    await ctx.record('mediation_outcome', actor, { agreed, resolution, amount, installments });
    ctx.runtime.mediated = true;
    const transition = ctx.plan({ type: 'mediation_concluded', agreed: settled });
    if (decision) {
      setOffer(ctx, { ...decision, explanation: null }, actor);
      view.offer!.approvedBy = actor;
    }
    await ctx.enter(transition, actor);
  };

  readonly validateReopen = (_input: ReopenInput): void => {
    this.allow('reopen');
    if (this.ctx.now().getTime() >= this.ctx.reopenDeadline())
      throw phaseConflict(this.view.phase, 'reopen');
  };

  readonly reopen = async ({ reason, actor }: ReopenInput): Promise<void> => {
    const { ctx, view } = this;
    const transition = ctx.plan({ type: 'reopened' });
    ctx.runtime.reopenRequested = true;
    view.resolution = null;
    view.rootCause = null;
    view.closedAt = null;
    view.offer = null;
    view.escalationLevel = 0;
    view.round += 1;
    await ctx.record('reopened', actor, { reason });
    await ctx.enter(transition, actor);
  };

  /**
   * Reverses the documents of a posted correction (a manager's audited step): the ledger posts a
   * mirror of each, the customer is told, and the dispute awaits a new decision. A document the
   * ledger will not reverse (unknown, another dispute's, reversed already) changes nothing: 422.
   */
  readonly reverse = async ({ documentNumber, reason, actor }: ReverseInput): Promise<void> => {
    const { ctx, view } = this;
    const runtime = ctx.runtime;
    const step = `reversal.${(runtime.reversals ?? 0) + 1}`;
    let reversals;
    try {
      reversals = await activities.ledger.reverseCorrection({
        disputeId: ctx.id,
        customerId: ctx.input.customerId,
        invoiceId: ctx.input.invoiceId,
        documentNumber,
        step,
        reason,
        reversedBy: actor,
      });
    } catch (error) {
      const failure = businessFailure(error);
      if (!failure) throw error;
      throw unprocessable(failure.message);
    }
    runtime.reversals = (runtime.reversals ?? 0) + 1;
    const transition = ctx.plan({ type: 'reversed' });
    runtime.monitoring = null;
    runtime.reopenRequested = false;
    view.resolution = null;
    view.rootCause = null;
    view.closedAt = null;
    view.offer = null;
    view.round += 1;
    await ctx.record('correction_reversed', actor, {
      documentNumber,
      reason,
      reversals: reversals.map((r) => ({
        documentNumber: r.documentNumber,
        reverses: r.details.reverses,
        amount: r.amount,
      })),
    });
    await ctx.enter(transition, actor);
    await customer.correctionReversed(ctx, reversals, runtime.posted ?? [], reason);
  };

  /**
   * Asks the ledger whether the offer could be posted as the dispute's next correction, with the
   * checks posting makes (amount within what is still wrong, direction, installments, a voided
   * invoice): a decision the books would refuse is refused now (422), before anything changes.
   * A local activity (a read: nothing to undo if it runs again), so the person's answer waits on no
   * task dispatch; runs recorded before these checks replay without them, and before
   * local-ledger-check with a regular activity.
   */
  private async checkPosting(
    offer: Pick<Offer, 'kind' | 'amount' | 'installments' | 'approvedBy'>,
  ): Promise<void> {
    if (!patched(PATCHES.decisionChecks) || !offer.amount) return;
    const ledger = patched(PATCHES.localLedgerCheck) ? activities.localLedger : activities.ledger;
    const check = await ledger.checkCorrection(correctionRequest(this.ctx, offer));
    if (!check.ok) throw unprocessable(check.message);
  }

  private money(amount: DecisionInput['amount'] & object): Money {
    try {
      return fromMoneyDto(amount);
    } catch (error) {
      throw unprocessable(error instanceof Error ? error.message : 'invalid amount');
    }
  }

  private checkRemedy(
    kind: DecisionInput['resolution'],
    amount: Money | null,
    installments: number | null,
  ): void {
    const problem = decisionProblem({
      kind,
      amount,
      installments,
      verdict: this.view.verdict,
      currency: this.ctx.input.currency,
    });
    if (problem) throw unprocessable(problem);
  }
}

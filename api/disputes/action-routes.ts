// The actions that steer a dispute, each a Temporal update of its workflow.
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import type { Role } from '../../config';
import type { FindingDto } from '../../domain/dispute';
import type { Action } from '../../domain/lifecycle';
import {
  approveUpdate,
  assignUpdate,
  customerResponseUpdate,
  decideUpdate,
  escalateUpdate,
  mediationOutcomeUpdate,
  noteUpdate,
  reopenUpdate,
  reverseUpdate,
  submitFindingsUpdate,
  withdrawUpdate,
} from '../../workflows/messages';
import type { ActionResult } from '../../workflows/state';
import type { AppDeps } from '../http/deps';
import type { Caller } from '../http/auth';
import { findDisputeRef, runAction, type DisputeRef } from './run-action';
import { unprocessable } from '../http/errors';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeyOf, requestHash } from '../http/idempotency';
import { defineRoute, type AnyRoute } from '../http/route';
import { noteId, saveNote } from '../../store/disputes/notes';
import {
  approvalBody,
  assignBody,
  customerResponseBody,
  decisionBody,
  findingsBody,
  mediationOutcomeBody,
  noteBody,
  reasonBody,
  reverseBody,
} from './action-schemas';
import { disputeIdParams, disputeSchema } from './schemas';
import { customerInvoiceIds } from '../../store/billing/lookups';
import type { Db } from '../../store/db';
import { disputeLinks } from './links';

const WORKERS: readonly Role[] = ['agent', 'manager'];
const MANAGERS: readonly Role[] = ['manager'];

interface ActionSpec<S extends z.ZodType, I> {
  path: string;
  action: Action;
  summary: string;
  roles: readonly Role[];
  body: S;
  update: UpdateDefinition<ActionResult, [I]>;
  /** The update's input; may check the body against the records first (422). */
  input: (
    body: z.output<S>,
    caller: Caller,
    dispute: DisputeRef,
    idempotencyKey: string | undefined,
  ) => I | Promise<I>;
}

function actionRoute<S extends z.ZodType, I>(deps: AppDeps, spec: ActionSpec<S, I>): AnyRoute {
  return defineRoute({
    method: 'POST',
    url: `/v1/disputes/:id/${spec.path}`,
    summary: spec.summary,
    tag: 'actions',
    roles: spec.roles,
    params: disputeIdParams,
    body: spec.body,
    success: { status: 200, description: 'The dispute after the action', schema: disputeSchema },
    links: disputeLinks(),
    errors: [404, 409, 422, 503],
    headers: [IDEMPOTENCY_KEY_HEADER],
    handler: async ({ params, body, caller, request }) => {
      const key = idempotencyKeyOf(request);
      const dispute = await findDisputeRef(deps.db, params.id);
      const input = await spec.input(body as z.output<S>, caller, dispute, key);
      return runAction(
        { db: deps.db, temporal: deps.temporal, temporalTimeoutMs: deps.temporalTimeoutMs },
        dispute,
        spec.action,
        spec.update,
        input,
        key === undefined
          ? undefined
          : { key, requestHash: requestHash({ action: spec.action, caller: caller.actor, body }) },
      );
    },
  });
}

/** A finding may name any invoice of the dispute's customer (double billing spans invoices). */
async function checkFindingInvoices(
  db: Db,
  dispute: DisputeRef,
  findings: readonly { invoiceId: string }[],
): Promise<void> {
  const ids = [...new Set(findings.map((f) => f.invoiceId))];
  const found = await customerInvoiceIds(db, dispute.customerId, ids);
  const problems = findings.flatMap((f, n) =>
    found.has(f.invoiceId)
      ? []
      : [
          {
            path: `$.findings[${n}].invoiceId`,
            message: `invoice ${f.invoiceId} of customer ${dispute.customerId} does not exist`,
          },
        ],
  );
  if (problems.length)
    throw unprocessable('Findings refer to invoices that do not exist', problems);
}

export function actionRoutes(deps: AppDeps): AnyRoute[] {
  return [
    actionRoute(deps, {
      path: 'assign',
      action: 'assign',
      summary: 'Assign the dispute to a person',
      roles: WORKERS,
      body: assignBody,
      update: assignUpdate,
      input: (body, caller) => ({ ...body, actor: caller.actor }),
    }),
    actionRoute(deps, {
      path: 'notes',
      action: 'note',
      summary: 'Add a note to the timeline',
      roles: WORKERS,
      body: noteBody,
      update: noteUpdate,
      input: async ({ text }, caller, dispute, key) => {
        // The body goes to the database; the workflow's history only names it.
        const id = noteId(dispute.id, key);
        await saveNote(deps.db, {
          id,
          disputeId: dispute.id,
          author: caller.actor,
          text,
          createdAt: new Date(),
        });
        return { noteId: id, actor: caller.actor };
      },
    }),
    actionRoute(deps, {
      path: 'findings',
      action: 'submitFindings',
      summary: 'Submit the findings of a review (completes awaiting_review)',
      roles: WORKERS,
      body: findingsBody,
      update: submitFindingsUpdate,
      input: async (body, caller, dispute) => {
        await checkFindingInvoices(deps.db, dispute, body.findings);
        const findings: FindingDto[] = body.findings.map((f) => ({
          ...f,
          explanation:
            f.explanation ??
            `${f.rule} on ${f.lineId ?? f.invoiceId}: expected ${f.expected ?? '—'}, billed ${f.actual ?? '—'}`,
        }));
        return { findings, verdict: body.verdict, actor: caller.actor };
      },
    }),
    actionRoute(deps, {
      path: 'decision',
      action: 'decide',
      summary: 'Decide the resolution; above the agent limit it goes to a manager for approval',
      roles: WORKERS,
      body: decisionBody,
      update: decideUpdate,
      input: (body, caller) => ({
        ...body,
        byManager: caller.role === 'manager',
        actor: caller.actor,
      }),
    }),
    actionRoute(deps, {
      path: 'approval',
      action: 'approve',
      summary: 'Approve the decision, or send it back',
      roles: MANAGERS,
      body: approvalBody,
      update: approveUpdate,
      input: (body, caller) => ({ ...body, actor: caller.actor }),
    }),
    actionRoute(deps, {
      path: 'customer-response',
      action: 'customerResponse',
      summary: 'Record the customer’s answer to the offer',
      roles: WORKERS,
      body: customerResponseBody,
      update: customerResponseUpdate,
      input: (body, caller) => ({ ...body, actor: caller.actor }),
    }),
    actionRoute(deps, {
      path: 'escalate',
      action: 'escalate',
      summary: 'Escalate one level by hand',
      roles: WORKERS,
      body: reasonBody,
      update: escalateUpdate,
      input: (body, caller) => ({ ...body, actor: caller.actor }),
    }),
    actionRoute(deps, {
      path: 'withdraw',
      action: 'withdraw',
      summary: 'Withdraw the dispute (closes it as withdrawn)',
      roles: ['operations', 'agent', 'manager'],
      body: reasonBody,
      update: withdrawUpdate,
      input: (body, caller) => ({ ...body, actor: caller.actor }),
    }),
    actionRoute(deps, {
      path: 'mediation-outcome',
      action: 'mediationOutcome',
      summary: 'Record the outcome of mediation',
      roles: MANAGERS,
      body: mediationOutcomeBody,
      update: mediationOutcomeUpdate,
      input: (body, caller) => ({ ...body, actor: caller.actor }),
    }),
    actionRoute(deps, {
      path: 'reopen',
      action: 'reopen',
      summary: 'Reopen a closed dispute within the monitoring window (back to awaiting_decision)',
      roles: MANAGERS,
      body: reasonBody,
      update: reopenUpdate,
      input: (body, caller) => ({ ...body, actor: caller.actor }),
    }),
    actionRoute(deps, {
      path: 'reverse',
      action: 'reverse',
      summary:
        'Reverse a posted correction that was wrong: reversing documents, the customer told, back to awaiting_decision',
      roles: MANAGERS,
      body: reverseBody,
      update: reverseUpdate,
      input: (body, caller) => ({ ...body, actor: caller.actor }),
    }),
  ];
}

// Every update, signal and query of the dispute workflow, defined once. The API and tests import these.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, DecisionKind, FindingDto, MoneyDto, Verdict } from '../domain/dispute';
import type { ActionResult, DisputeView } from './state';

interface ActionBase {
  actor: Actor;
}

export interface AssignInput extends ActionBase {
  assignee: string;
}
export interface NoteInput extends ActionBase {
  /** The note's body is in the database (store/disputes/notes.ts), out of the history. */
  noteId: string;
}
export interface FindingsInput extends ActionBase {
  findings: FindingDto[];
  verdict: Verdict;
}
export interface DecisionInput extends ActionBase {
  resolution: DecisionKind;
  amount?: MoneyDto;
  installments?: number;
  explanation?: string;
  /** Managers may decide above the agent limit without a separate approval. */
  byManager: boolean;
}
export interface ApprovalInput extends ActionBase {
  approved: boolean;
  comment?: string;
}
export interface CustomerResponseInput extends ActionBase {
  accepted: boolean;
  comment?: string;
}
export interface EscalateInput extends ActionBase {
  reason: string;
}
export interface WithdrawInput extends ActionBase {
  reason: string;
}
export interface MediationOutcomeInput extends ActionBase {
  agreed: boolean;
  resolution?: DecisionKind;
  amount?: MoneyDto;
  /** An agreed payment plan's installments (absent in outcomes recorded before they were asked). */
  installments?: number;
}
export interface ReopenInput extends ActionBase {
  reason: string;
}
export interface ReverseInput extends ActionBase {
  /** Any document of the posted correction to reverse, e.g. CN-000012. */
  documentNumber: string;
  reason: string;
}
export interface NewInvoiceInput {
  invoiceId: string;
}

export const disputeQuery = defineQuery<DisputeView>('dispute');

export const assignUpdate = defineUpdate<ActionResult, [AssignInput]>('assign');
export const noteUpdate = defineUpdate<ActionResult, [NoteInput]>('note');
export const submitFindingsUpdate = defineUpdate<ActionResult, [FindingsInput]>('submitFindings');
export const decideUpdate = defineUpdate<ActionResult, [DecisionInput]>('decide');
export const approveUpdate = defineUpdate<ActionResult, [ApprovalInput]>('approve');
export const customerResponseUpdate = defineUpdate<ActionResult, [CustomerResponseInput]>(
  'customerResponse',
);
export const escalateUpdate = defineUpdate<ActionResult, [EscalateInput]>('escalate');
export const withdrawUpdate = defineUpdate<ActionResult, [WithdrawInput]>('withdraw');
export const mediationOutcomeUpdate = defineUpdate<ActionResult, [MediationOutcomeInput]>(
  'mediationOutcome',
);
export const reopenUpdate = defineUpdate<ActionResult, [ReopenInput]>('reopen');
export const reverseUpdate = defineUpdate<ActionResult, [ReverseInput]>('reverse');

export const newInvoiceSignal = defineSignal<[NewInvoiceInput]>('newInvoice');

/** Thrown by update validators when the current phase does not allow the action (API: 409). */
export const PHASE_CONFLICT = 'PhaseConflict';
/** Thrown by update validators for an action that is well-formed but does not fit (API: 422). */
export const UNPROCESSABLE = 'Unprocessable';

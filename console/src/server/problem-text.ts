// What an API problem means to the person who caused it, in words.
import { ApiProblem } from './client';
import { phaseWords } from '../format/words';

const ACTION_WORDS: Record<string, string> = {
  assign: 'assigning',
  note: 'adding a note',
  submitFindings: 'reviewing the findings',
  decide: 'deciding',
  approve: 'approving',
  customerResponse: 'recording the customer’s answer',
  escalate: 'escalating',
  withdraw: 'withdrawing',
  mediationOutcome: 'recording the mediation outcome',
  reopen: 'reopening',
  reverse: 'reversing the correction',
};

interface PhaseConflict {
  phase?: string;
  action?: string;
}

export interface FieldProblem {
  path: string;
  message: string;
}

/** The `details` of a 400 or 422 as a list of JSON paths and messages, when it is one. */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (!(error instanceof ApiProblem) || !Array.isArray(error.details)) return [];
  return (error.details as unknown[]).flatMap((d) => {
    const item = d as Partial<FieldProblem>;
    return typeof item.path === 'string' && typeof item.message === 'string'
      ? [{ path: item.path, message: item.message }]
      : [];
  });
}

export function problemText(error: unknown): string {
  if (!(error instanceof ApiProblem)) {
    return error instanceof TypeError
      ? 'Settle cannot be reached. Check the connection and try again.'
      : 'Something went wrong. Try again.';
  }
  switch (error.status) {
    case 400:
      return `The server did not accept this: ${error.message}.`;
    case 401:
      return 'Your API key was not accepted. Sign in again.';
    case 403:
      return 'Your role may not do this.';
    case 404:
      return `${error.message}.`;
    case 409: {
      if (error.code === 'phase_conflict') {
        const d = (error.details ?? {}) as PhaseConflict;
        const what = ACTION_WORDS[d.action ?? ''] ?? 'this action';
        const phase = d.phase ? phaseWords(d.phase).toLowerCase() : 'in another phase';
        return `Someone else acted first: the dispute is now ${phase}, where ${what} is not possible. The page now shows its current state.`;
      }
      return `${error.message}. The page now shows the current state.`;
    }
    case 413:
      return 'The file is too large for the server.';
    case 422:
      return `This does not fit the dispute: ${error.message}.`;
    case 429:
      return 'Too many requests in a minute. Wait a moment and try again.';
    case 503:
      return 'Settle’s workflow engine or database is not reachable right now. Try again in a moment.';
    default:
      return error.status >= 500
        ? 'The server failed to answer. Try again; if it persists, tell the operations team.'
        : `${error.message}.`;
  }
}

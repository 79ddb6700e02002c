// One dispute action as a mutation: its answer becomes the page's state; a 409 (someone acted
// first) or 404 reloads the dispute so the page shows what is true now.
import { useMutation, type UseMutationResult } from '@tanstack/react-query';
import { ApiProblem, type Dispute } from '../../../server/client';
import { keyFor, retryTransient } from '../../../server/idempotency';
import { fieldProblems } from '../../../server/problem-text';
import { useActionNotice } from '../action-notice';
import { useAfterAction } from '../queries';

/** Sends the action with the Idempotency-Key it is given. */
export type SendAction = (idempotencyKey: string) => Promise<Dispute>;
export type ActionMutation = UseMutationResult<Dispute, Error, SendAction>;

export function useAction(disputeId: string): ActionMutation {
  const after = useAfterAction(disputeId);
  const notice = useActionNotice();
  return useMutation<Dispute, Error, SendAction>({
    mutationFn: (send) => send(keyFor(send)),
    retry: retryTransient,
    onMutate: () => notice.show(null),
    onSuccess: (updated) => after(updated),
    onError: async (error) => {
      if (error instanceof ApiProblem && (error.status === 409 || error.status === 404)) {
        notice.show(error);
        await after(null);
      }
    },
  });
}

/** The server's message for a field (a JSON path like `$.amount`), from a 400's details. */
export function serverFieldError(error: unknown, path: string): string | undefined {
  return fieldProblems(error).find((p) => p.path === path || p.path.startsWith(`${path}.`))
    ?.message;
}

// A dispute action: a disclosure with its form, the server's problem in words, and a status line.
import type { FormEvent, ReactNode } from 'react';
import { ApiProblem } from '../../../server/client';
import { Problem } from '../../../components/problem';
import type { ActionMutation } from './use-action';

const isConflict = (error: unknown): boolean =>
  error instanceof ApiProblem && (error.status === 409 || error.status === 404);

export function ActionCard({
  title,
  open,
  mutation,
  done,
  onSubmit,
  children,
  testId,
}: {
  title: string;
  open?: boolean;
  mutation: ActionMutation;
  /** What the status line says after success. */
  done: string;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
  testId: string;
}): ReactNode {
  return (
    <details className="action" open={open} data-testid={testId}>
      <summary>{title}</summary>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit(event);
        }}
        aria-busy={mutation.isPending}
      >
        {children}
        {/* A 409 or 404 is shown above the forms, which the refreshed phase replaces. */}
        <Problem error={isConflict(mutation.error) ? null : mutation.error} />
        {mutation.isSuccess ? (
          <p role="status" className="success">
            {done}
          </p>
        ) : null}
      </form>
    </details>
  );
}

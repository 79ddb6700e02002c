// A dispute action: a disclosure with its form, the server's problem in words, and a status line.
import type { FormEvent, ReactNode } from 'react';
import { Problem } from '../../../components/problem';
import type { ActionMutation } from './use-action';

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
        <Problem error={mutation.error} />
        {mutation.isSuccess ? (
          <p role="status" className="success">
            {done}
          </p>
        ) : null}
      </form>
    </details>
  );
}

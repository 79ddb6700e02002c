import type { ReactNode } from 'react';
import { fieldProblems, problemText } from '../server/problem-text';

/** An API problem in words, announced to screen readers; with the field paths of a 400/422. */
export function Problem({ error, title }: { error: unknown; title?: string }): ReactNode {
  if (!error) return null;
  const fields = fieldProblems(error);
  return (
    <div className="problem" role="alert">
      {title ? <strong>{title} </strong> : null}
      <span>{problemText(error)}</span>
      {fields.length > 0 ? (
        <ul>
          {fields.map((f, i) => (
            <li key={`${f.path}-${String(i)}`}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

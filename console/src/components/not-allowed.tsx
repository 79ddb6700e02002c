import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { usePageTitle } from './page-title';

/** A page the signed-in role may not use: said plainly instead of a form that would fail. */
export function NotAllowed({ title, what }: { title: string; what: string }): ReactNode {
  usePageTitle(title);
  return (
    <section>
      <h1>{title}</h1>
      <p role="status">
        Your role may not {what}. <Link to="/">Back to the inbox</Link>.
      </p>
    </section>
  );
}

/** While GET /v1/me is on the way: what the role may do is not known yet. */
export function WaitingForRole(): ReactNode {
  return <p aria-busy="true">Loading…</p>;
}

// The frame of every signed-in page: skip link, navigation (only what the role may use), who is
// signed in, and sign-out.
import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { roleWords } from '../format/words';
import { useSession } from '../session/me';

export function Layout({ children }: { children: ReactNode }): ReactNode {
  const { me, can, signOut } = useSession();
  const links: { to: string; label: string; show: boolean }[] = [
    { to: '/', label: 'Inbox', show: can('getV1Disputes') },
    { to: '/disputes/new', label: 'New dispute', show: can('postV1Disputes') },
    { to: '/import', label: 'Import', show: can('postV1Import') },
    { to: '/reports', label: 'Reports', show: can('getV1ReportsSummary') },
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Settle</span>
        <nav aria-label="Main">
          <ul>
            {links
              .filter((l) => l.show)
              .map((l) => (
                <li key={l.to}>
                  <NavLink to={l.to} end>
                    {l.label}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
        <div className="who">
          {me ? (
            <span>
              <span className="visually-hidden">Signed in as </span>
              <strong data-testid="actor">{me.actor}</strong>{' '}
              <span className="role">({roleWords(me.role)})</span>
            </span>
          ) : null}
          <button type="button" className="secondary" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

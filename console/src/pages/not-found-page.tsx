import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { usePageTitle } from '../components/page-title';

export function NotFoundPage(): ReactNode {
  usePageTitle('Not found');
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link to="/">Go to the inbox</Link>.
      </p>
    </section>
  );
}

// The console's pages. Without a key, every page is the sign-in form; the URL is kept so a shared
// link opens its page after signing in.
import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { Layout } from './components/layout';
import { InboxPage } from './pages/inbox/inbox-page';
import { NotFoundPage } from './pages/not-found-page';
import { SignInPage } from './pages/sign-in-page';
import { useSession } from './session/me';

// The inbox comes with the first load; other pages (and Chart.js) load when first opened.
const DisputePage = lazy(async () => ({
  default: (await import('./pages/dispute/dispute-page')).DisputePage,
}));
const NewDisputePage = lazy(async () => ({
  default: (await import('./pages/new-dispute-page')).NewDisputePage,
}));
const CustomerPage = lazy(async () => ({
  default: (await import('./pages/customer-page')).CustomerPage,
}));
const ImportPage = lazy(async () => ({
  default: (await import('./pages/import-page')).ImportPage,
}));
const ReportsPage = lazy(async () => ({
  default: (await import('./pages/reports/reports-page')).ReportsPage,
}));

export function App(): ReactNode {
  const session = useSession();
  // With a key stored, the pages render at once and fetch beside GET /v1/me; what depends on the
  // role waits for its answer.
  if (!session.signedIn) return <SignInPage problem={session.error} />;
  return (
    <Layout>
      <Suspense fallback={<p aria-busy="true">Loading…</p>}>
        <Routes>
          <Route path="/" element={<InboxPage />} />
          <Route path="/disputes/new" element={<NewDisputePage />} />
          <Route path="/disputes/:id" element={<DisputePage />} />
          <Route path="/customers/:id" element={<CustomerPage />} />
          <Route path="/import" element={<ImportPage />} />
          <Route path="/reports" element={<ReportsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}

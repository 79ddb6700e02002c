// Sign in with an API key. The key goes to the server in a header, then into this tab's session
// storage; the form never submits to a URL.
import { useState, type FormEvent, type ReactNode } from 'react';
import { usePageTitle } from '../components/page-title';
import { Problem } from '../components/problem';
import { TextField } from '../components/fields';
import { useSession } from '../session/me';

export function SignInPage({ problem }: { problem?: unknown }): ReactNode {
  usePageTitle('Sign in');
  const { signIn } = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!key.trim()) {
      setError(null);
      return;
    }
    setBusy(true);
    try {
      await signIn(key.trim());
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to Settle</h1>
      <p>
        Use the API key you were given. It stays in this browser tab only and is forgotten when you
        sign out or close the tab.
      </p>
      <form method="post" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          label="API key"
          type="password"
          name="apiKey"
          autoComplete="off"
          required
          value={key}
          onValue={setKey}
        />
        <button type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <Problem error={error ?? problem} />
    </main>
  );
}

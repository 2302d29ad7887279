import { useState } from 'preact/hooks';
import type { DashboardClient } from '../lib/supabase.ts';

/** Turns supabase-js auth failures into something a person can act on. */
export function describeSignInError(error: { message?: string; status?: number; name?: string }, url: string): string {
  if (error.status === 400 || /invalid login credentials/i.test(error.message ?? '')) return 'Wrong email or password.';
  if (!error.status || error.name === 'AuthRetryableFetchError' || /fetch|network/i.test(error.message ?? '')) {
    return `Cannot reach the backend at ${url}. Check that it is running and try again.`;
  }
  return error.message || 'Sign-in failed.';
}

export function SignIn({ client, url }: { client: DashboardClient; url: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { error: authError } = await client.auth.signInWithPassword({ email: email.trim(), password });
      if (authError) setError(describeSignInError(authError, url));
    } catch (thrown) {
      setError(describeSignInError(thrown as Error, url));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="signin">
      <h1>Agent Status</h1>
      <form onSubmit={onSubmit} aria-describedby={error ? 'signin-error' : undefined}>
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p id="signin-error" class="command-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

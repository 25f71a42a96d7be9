import { useState, type FormEvent } from 'react';
import { ApiError, NetworkError } from '../api/http';
import { useSession } from '../state/session';

/** Email and password; errors are announced to screen readers. */
export function LoginScreen() {
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
    } catch (caught) {
      if (caught instanceof NetworkError) setError('No connection. Try again when online.');
      else if (caught instanceof ApiError && caught.status === 429) {
        setError('Too many attempts. Wait a few minutes.');
      } else setError('Email or password is wrong.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <img src="/icons/icon.svg" alt="" width="72" height="72" />
      <h1>Tocsin</h1>
      <form onSubmit={(event) => void submit(event)} className="stack">
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

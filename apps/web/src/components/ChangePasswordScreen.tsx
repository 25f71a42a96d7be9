import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/http';
import { useSession } from '../state/session';
import { NewPasswordFields, PASSWORD_MIN_LENGTH } from './NewPasswordFields';

/** After signing in with a password an administrator chose: the user picks their own. */
export function ChangePasswordScreen() {
  const { changePassword } = useSession();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat) return setError('The two passwords differ.');
    setBusy(true);
    setError(null);
    try {
      await changePassword(password);
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.status === 400
          ? `Choose ${PASSWORD_MIN_LENGTH} characters or more, not your email.`
          : 'The password could not be changed. Try again.',
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <h1>Choose your password</h1>
      <p>Your administrator gave you a temporary password. Choose your own to continue.</p>
      <form onSubmit={(event) => void submit(event)} className="stack">
        <NewPasswordFields
          label="New password"
          password={password}
          repeat={repeat}
          onPassword={setPassword}
          onRepeat={setRepeat}
        />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save and continue'}
        </button>
      </form>
    </main>
  );
}

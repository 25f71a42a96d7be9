import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/http';
import { navigate } from '../lib/router';
import { useSession } from '../state/session';
import { NewPasswordFields, PASSWORD_MIN_LENGTH } from './NewPasswordFields';

/** The page an invitation link opens (`/invitation#token=…`): the invitee sets a password. */
export function InvitationScreen() {
  const { acceptInvitation } = useSession();
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat) return setError('The two passwords differ.');
    setError(null);
    try {
      await acceptInvitation(token, password);
      setDone(true);
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.status === 400
          ? `Choose ${PASSWORD_MIN_LENGTH} characters or more, not your email.`
          : 'This invitation is not valid any more. Ask your administrator for a new one.',
      );
    }
  };

  if (done) {
    return (
      <main className="login">
        <h1>Your password is set</h1>
        <button type="button" className="primary" onClick={() => navigate('/', true)}>
          Sign in
        </button>
      </main>
    );
  }

  return (
    <main className="login">
      <h1>Welcome to Tocsin</h1>
      <p>Choose the password you will sign in with.</p>
      <form onSubmit={(event) => void submit(event)} className="stack">
        <NewPasswordFields
          label="Password"
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
        <button type="submit" className="primary">
          Set my password
        </button>
      </form>
    </main>
  );
}

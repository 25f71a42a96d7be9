import { SessionProvider, useSession } from '../state/session';
import { AppShell } from './AppShell';
import { ChangePasswordScreen } from './ChangePasswordScreen';
import { InvitationScreen } from './InvitationScreen';
import { usePath } from '../lib/router';
import { LoginScreen } from './LoginScreen';
import { ReloadPrompt } from './ReloadPrompt';

export function App() {
  return (
    <SessionProvider>
      <ReloadPrompt />
      <Root />
    </SessionProvider>
  );
}

function Root() {
  const { signedIn, services, mustChangePassword } = useSession();
  const path = usePath();
  if (mustChangePassword) return <ChangePasswordScreen />;
  if (!signedIn && path === '/invitation') return <InvitationScreen />;
  if (!signedIn) return <LoginScreen />;
  if (!services) {
    return (
      <p className="loading" role="status">
        Starting…
      </p>
    );
  }

  return <AppShell />;
}

import { SessionProvider, useSession } from '../state/session';
import { AppShell } from './AppShell';
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
  const { signedIn, services } = useSession();
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

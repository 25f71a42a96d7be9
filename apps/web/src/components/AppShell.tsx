import { lazy, Suspense } from 'react';
import { matchRoute, navigate, usePath } from '../lib/router';
import { SENDER_ROLES } from '../state/services';
import { useServices, useSession } from '../state/session';
import { AlertDetail } from './AlertDetail';
import { AlertsScreen } from './AlertsScreen';
import { ChatScreen } from './ChatScreen';
import { ConversationScreen } from './ConversationScreen';
import { Notices } from './Notices';
import { OfflineBanner } from './OfflineBanner';
import { PushPrompt } from './PushPrompt';

// The composer (and Leaflet-Geoman) only matter to dispatchers: a chunk of its own.
const ComposerScreen = lazy(() =>
  import('./ComposerScreen').then((module) => ({ default: module.ComposerScreen })),
);

/** The build stamp (VITE_APP_BUILD at build time), to tell deployed versions apart. */
const BUILD = import.meta.env.VITE_APP_BUILD ?? 'dev';

/** Header, banners, the current screen and the bottom navigation. */
export function AppShell() {
  const { logout } = useSession();
  const { me } = useServices();
  const route = matchRoute(usePath());
  const canSend = SENDER_ROLES.includes(me.role);

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand" data-build={BUILD}>
          Tocsin
        </span>
        <span className="who">{me.displayName}</span>
        <button type="button" className="ghost" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <OfflineBanner />
      <PushPrompt />
      <main className="screen" id="main">
        {route.name === 'alerts' && <AlertsScreen />}
        {route.name === 'alert' && <AlertDetail key={route.id} id={route.id} />}
        {route.name === 'compose' &&
          (canSend ? (
            <Suspense fallback={<p role="status">Loading the composer…</p>}>
              <ComposerScreen key={route.updateOf ?? 'new'} updateOf={route.updateOf} />
            </Suspense>
          ) : (
            <p>Only dispatchers send alerts.</p>
          ))}
        {route.name === 'chat' && <ChatScreen />}
        {route.name === 'conversation' && <ConversationScreen key={route.id} id={route.id} />}
      </main>
      <Notices />
      <nav className="tabs" aria-label="Main">
        <TabLink
          to="/"
          label="Alerts"
          current={route.name === 'alerts' || route.name === 'alert'}
        />
        <TabLink
          to="/chat"
          label="Chat"
          current={route.name === 'chat' || route.name === 'conversation'}
        />
        {canSend && <TabLink to="/compose" label="New alert" current={route.name === 'compose'} />}
      </nav>
    </div>
  );
}

function TabLink({ to, label, current }: { to: string; label: string; current: boolean }) {
  return (
    <a
      href={to}
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        event.preventDefault();
        navigate(to);
      }}
    >
      {label}
    </a>
  );
}

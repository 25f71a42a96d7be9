import type { MeView, TokenPair } from '@tocsin/contracts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { endpoints } from '../api/endpoints';
import { ApiClient } from '../api/http';
import { unsubscribePush } from '../pwa/push';
import { clearDevice } from '../storage/clear-device';
import { clearSession, readSession, writeSession } from '../storage/session-storage';
import { setReachable } from './connectivity';
import { startServices, type Services } from './services';

interface SessionValue {
  /** True from the moment a session exists, even before its services have started. */
  signedIn: boolean;
  services: Services | null;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** True after signing in with a password an administrator chose, until it is changed. */
  mustChangePassword: boolean;
  changePassword(newPassword: string): Promise<void>;
  /** Sets the first password of an invited user from their link's token. */
  acceptInvitation(token: string, password: string): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

/** Holds who is signed in; a stored session starts at once, even offline. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<MeView | null>(() => readSession()?.me ?? null);
  const api = useMemo(
    () =>
      new ApiClient({
        readRefreshToken: () => readSession()?.refreshToken ?? null,
        onTokens: (pair: TokenPair) => {
          const stored = readSession();
          if (stored) writeSession({ ...stored, refreshToken: pair.refreshToken });
        },
        onSessionEnded: () => {
          void clearDevice().then(() => setMe(null));
        },
        onReachability: setReachable,
      }),
    [],
  );
  const [services, setServices] = useState<Services | null>(null);
  // The temporary password just typed and the session's refresh token, kept in memory only
  // while the user chooses a new password.
  const [pending, setPending] = useState<{ password: string; refreshToken: string } | null>(null);

  useEffect(() => {
    if (!me) return;
    const started = startServices(api, me);
    setServices(started);

    return () => {
      started.stop();
      setServices(null);
    };
  }, [api, me]);

  const login = useCallback(
    async (email: string, password: string) => {
      const ep = endpoints(api);
      const pair = await ep.login(email, password);
      api.setTokens(pair);
      writeSession({ refreshToken: pair.refreshToken, me: {} as MeView });
      const profile = await ep.me();
      if (profile.mustChangePassword) {
        // Nothing is kept on the device until the temporary password is replaced.
        clearSession();
        setPending({ password, refreshToken: pair.refreshToken });

        return;
      }
      writeSession({ refreshToken: readSession()?.refreshToken ?? pair.refreshToken, me: profile });
      setMe(profile);
    },
    [api],
  );

  const changePassword = useCallback(
    async (newPassword: string) => {
      const ep = endpoints(api);
      if (!pending) return;
      await ep.changePassword(pending.password, newPassword);
      const profile = await ep.me();
      writeSession({ refreshToken: pending.refreshToken, me: profile });
      setPending(null);
      setMe(profile);
    },
    [api, pending],
  );

  const logout = useCallback(async () => {
    const ep = endpoints(api);
    // Stop the socket, outbox and models first, so nothing writes while the device is cleared.
    services?.stop();
    await unsubscribePush(ep);
    await ep.logout().catch(() => undefined);
    api.forget();
    await clearDevice();
    setMe(null);
  }, [api, services]);

  const acceptInvitation = useCallback(
    async (token: string, password: string) => {
      await endpoints(api).acceptInvitation(token, password);
    },
    [api],
  );

  const value = useMemo(
    () => ({
      acceptInvitation,
      signedIn: me !== null,
      services,
      login,
      logout,
      mustChangePassword: pending !== null,
      changePassword,
    }),
    [me, services, login, logout, pending, changePassword, acceptInvitation],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');

  return value;
}

/** The running services; only for components rendered while signed in. */
export function useServices(): Services {
  const { services } = useSession();
  if (!services) throw new Error('useServices while signed out');

  return services;
}

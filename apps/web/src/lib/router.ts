import { useSyncExternalStore } from 'react';

/**
 * The smallest router that does the job: the path is the state, `navigate` pushes a new one,
 * and the server answers every page path with index.html (libs/http serve-web).
 */
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);

  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(path: string, replace = false): void {
  if (path === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export type Route =
  | { name: 'alerts' }
  | { name: 'alert'; id: string }
  | { name: 'compose'; updateOf?: string }
  | { name: 'chat' }
  | { name: 'conversation'; id: string };

export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'alerts' && parts[1]) return { name: 'alert', id: parts[1] };
  if (parts[0] === 'compose') return { name: 'compose', updateOf: parts[1] };
  if (parts[0] === 'chat' && parts[1]) return { name: 'conversation', id: parts[1] };
  if (parts[0] === 'chat') return { name: 'chat' };

  return { name: 'alerts' };
}

/**
 * The public client configuration (tile URL and attribution) from GET /api/client-config,
 * remembered in localStorage (`tocsin.clientConfig`) so that the map draws offline. Not user
 * data: it survives logout.
 */
import { useEffect, useState } from 'react';
import type { ClientConfig } from '../api/endpoints';

const KEY = 'tocsin.clientConfig';
let loading: Promise<ClientConfig | null> | null = null;

function remembered(): ClientConfig | null {
  try {
    const raw = localStorage.getItem(KEY);

    return raw ? (JSON.parse(raw) as ClientConfig) : null;
  } catch {
    return null;
  }
}

function load(): Promise<ClientConfig | null> {
  loading ??= fetch('/api/client-config')
    .then(async (response) => {
      if (!response.ok) return remembered();
      const config = (await response.json()) as ClientConfig;
      localStorage.setItem(KEY, JSON.stringify(config));

      return config;
    })
    .catch(() => remembered());

  return loading;
}

export function useClientConfig(): ClientConfig | null {
  const [config, setConfig] = useState<ClientConfig | null>(remembered);
  useEffect(() => {
    let live = true;
    void load().then((loaded) => {
      if (live && loaded) setConfig(loaded);
    });

    return () => {
      live = false;
    };
  }, []);

  return config;
}

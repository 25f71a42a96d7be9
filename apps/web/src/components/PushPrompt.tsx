import { useEffect, useState } from 'react';
import { currentPushState, enablePush, type PushState } from '../pwa/push';
import { notices } from '../state/notices';
import { useServices } from '../state/session';

const DISMISSED_KEY = 'tocsin.pushPromptDismissed';

/**
 * Offers notifications; the browser's permission question comes only from the tap on
 * "Turn on", never by itself on load.
 */
export function PushPrompt() {
  const { endpoints } = useServices();
  const [state, setState] = useState<PushState | null>(null);
  const [dismissed, setDismissed] = useState(() => localStorage.getItem(DISMISSED_KEY) === '1');

  useEffect(() => {
    void currentPushState().then(setState);
  }, []);

  if (state !== 'available' || dismissed) return null;

  const turnOn = async () => {
    try {
      setState(await enablePush(endpoints));
    } catch {
      notices.push('Notifications could not be turned on on this device.');
    }
  };
  const later = () => {
    localStorage.setItem(DISMISSED_KEY, '1');
    setDismissed(true);
  };

  return (
    <div className="banner banner-push">
      <span>Get alerts even when Tocsin is closed.</span>
      <button type="button" className="primary small" onClick={() => void turnOn()}>
        Turn on
      </button>
      <button type="button" className="ghost small" onClick={later}>
        Not now
      </button>
    </div>
  );
}

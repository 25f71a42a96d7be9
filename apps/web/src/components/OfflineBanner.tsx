import { formatTime } from '../lib/format';
import { useStore } from '../lib/external-store';
import { connectivity } from '../state/connectivity';
import { useServices } from '../state/session';

/** "Offline, data from 14:05": shown while the server cannot be reached. */
export function OfflineBanner() {
  const { online } = useStore(connectivity);
  const { alerts } = useServices();
  const { fetchedAt } = useStore(alerts.store);
  if (online) return null;

  return (
    <div className="banner banner-offline" role="status">
      Offline, data from {fetchedAt ? formatTime(fetchedAt) : 'an earlier visit'}. Answers are kept
      and sent when back online.
    </div>
  );
}

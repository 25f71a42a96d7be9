import { useStore } from '../lib/external-store';
import { updateAvailable } from '../pwa/register';

/** A new version is installed and waiting: reload into it when the user agrees. */
export function ReloadPrompt() {
  const { apply } = useStore(updateAvailable);
  if (!apply) return null;

  return (
    <div className="banner banner-update" role="alert">
      A new version of Tocsin is ready.
      <button type="button" className="primary small" onClick={() => void apply()}>
        Reload
      </button>
    </div>
  );
}

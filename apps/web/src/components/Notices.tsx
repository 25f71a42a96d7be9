import { useStore } from '../lib/external-store';
import { notices } from '../state/notices';

/** Short messages in a polite live region; each goes by itself or when dismissed. */
export function Notices() {
  const list = useStore(notices);

  return (
    <div className="notices" role="status" aria-live="polite">
      {list.map((notice) => (
        <p key={notice.id} className="notice">
          <span>{notice.text}</span>
          <button
            type="button"
            className="ghost"
            aria-label="Dismiss"
            onClick={() => notices.dismiss(notice.id)}
          >
            ×
          </button>
        </p>
      ))}
    </div>
  );
}

import { useStore } from '../lib/external-store';
import { notices } from '../state/notices';

/** Short messages in a polite live region. */
export function Notices() {
  const list = useStore(notices);

  return (
    <div className="notices" role="status" aria-live="polite">
      {list.map((notice) => (
        <p key={notice.id} className="notice">
          {notice.text}
        </p>
      ))}
    </div>
  );
}

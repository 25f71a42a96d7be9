import { formatTime } from '../lib/format';
import type { ChatLine } from '../state/chat-model';

/** One chat message, its text as text; a shared location as coordinates with a map link. */
export function MessageItem({ line, mine }: { line: ChatLine; mine: boolean }) {
  const waiting = line.seq === null;

  return (
    <li className={mine ? 'message mine' : 'message'}>
      <span className="message-meta">
        {line.senderName ?? 'Former member'} · {formatTime(line.createdAt)}
        {waiting ? ' · waiting to send' : ''}
        {line.editedAt && !line.deletedAt ? ' · edited' : ''}
      </span>
      {line.deletedAt ? (
        <span className="message-body muted">Message deleted</span>
      ) : (
        <>
          {line.location && (
            <span className="message-body">
              Location: {line.location.lat.toFixed(5)}, {line.location.lon.toFixed(5)}
              {line.location.accuracy ? ` (±${Math.round(line.location.accuracy)} m)` : ''}
            </span>
          )}
          {line.body && <span className="message-body">{line.body}</span>}
        </>
      )}
    </li>
  );
}

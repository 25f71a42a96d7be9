import { useStore } from '../lib/external-store';
import { navigate } from '../lib/router';
import { useServices } from '../state/session';

/** Conversations with their unread counts. */
export function ChatScreen() {
  const { chat } = useServices();
  const { conversations, available } = useStore(chat.store);

  return (
    <section aria-labelledby="chat-title">
      <h1 id="chat-title">Chat</h1>
      {!available && <p className="muted">Chat is not available on this server yet.</p>}
      {available && conversations.length === 0 && <p className="muted">No conversations.</p>}
      <ul className="conversation-list">
        {conversations.map((conversation) => {
          const unread = Math.max(0, conversation.lastSeq - conversation.lastReadSeq);

          return (
            <li key={conversation.id}>
              <a
                href={`/chat/${conversation.id}`}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(`/chat/${conversation.id}`);
                }}
              >
                <span>{conversation.title ?? `${conversation.kind} conversation`}</span>
                {unread > 0 && (
                  <span className="unread" aria-label={`${unread} unread`}>
                    {unread}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

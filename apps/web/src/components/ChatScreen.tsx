import { useStore } from '../lib/external-store';
import { navigate } from '../lib/router';
import { useServices } from '../state/session';

/** Conversations with their unread counts. */
export function ChatScreen() {
  const { chat } = useServices();
  const { conversations } = useStore(chat.store);

  return (
    <section aria-labelledby="chat-title">
      <h1 id="chat-title">Chat</h1>
      {conversations.length === 0 && <p className="muted">No conversations yet.</p>}
      <ul className="conversation-list">
        {conversations.map((conversation) => {
          const unread = conversation.membership?.unread ?? 0;
          const title = conversation.title ?? `${conversation.kind} conversation`;

          return (
            <li key={conversation.id}>
              <a
                href={`/chat/${conversation.id}`}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(`/chat/${conversation.id}`);
                }}
              >
                <span>
                  {title}
                  {conversation.interagency && <span className="tag">interagency</span>}
                </span>
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

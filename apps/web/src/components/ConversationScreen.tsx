import { useEffect, useState, type FormEvent } from 'react';
import { formatTime } from '../lib/format';
import { useStore } from '../lib/external-store';
import { navigate } from '../lib/router';
import { useServices } from '../state/session';

/** Messages in seq order (ours waiting in the outbox last), a composer, share my location. */
export function ConversationScreen({ id }: { id: string }) {
  const { chat, me } = useServices();
  const { messages, conversations } = useStore(chat.store);
  const lines = messages[id] ?? [];
  const title = conversations.find((c) => c.id === id)?.title ?? 'Conversation';
  const [text, setText] = useState('');

  useEffect(() => {
    void chat.openConversation(id);

    return () => chat.closeConversation(id);
  }, [chat, id]);

  const send = (event: FormEvent) => {
    event.preventDefault();
    const body = text.trim();
    if (!body) return;
    setText('');
    void chat.send(id, body);
  };
  const shareLocation = () => {
    navigator.geolocation?.getCurrentPosition((position) => {
      const { latitude, longitude } = position.coords;
      // TODO: send a typed location message once the messaging library defines one.
      void chat.send(id, `My location: ${latitude.toFixed(5)}, ${longitude.toFixed(5)}`);
    });
  };

  return (
    <section className="conversation" aria-labelledby="conversation-title">
      <button type="button" className="ghost back" onClick={() => navigate('/chat')}>
        ← Chat
      </button>
      <h1 id="conversation-title">{title}</h1>
      <ol className="messages" aria-live="polite">
        {lines.map((line) => (
          <li
            key={line.seq ?? line.clientId}
            className={line.senderId === me.id ? 'message mine' : 'message'}
          >
            <span className="message-meta">
              {line.senderName ?? 'Member'} · {formatTime(line.createdAt)}
              {line.seq === null ? ' · waiting to send' : ''}
            </span>
            <span className="message-body">{line.body}</span>
          </li>
        ))}
      </ol>
      <form className="message-form" onSubmit={send}>
        <label className="visually-hidden" htmlFor="message-input">
          Message
        </label>
        <input
          id="message-input"
          value={text}
          maxLength={4000}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="primary">
          Send
        </button>
        <button type="button" onClick={shareLocation}>
          Share location
        </button>
      </form>
    </section>
  );
}

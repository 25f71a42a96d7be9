import { MESSAGE_MAX_LENGTH } from '@tocsin/contracts';
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from '../lib/external-store';
import { navigate } from '../lib/router';
import { notices } from '../state/notices';
import { useServices } from '../state/session';
import { MessageItem } from './MessageItem';

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
    if (!('geolocation' in navigator)) return;
    navigator.geolocation.getCurrentPosition(
      ({ coords }) =>
        void chat.shareLocation(id, {
          lat: coords.latitude,
          lon: coords.longitude,
          accuracy: Math.min(coords.accuracy, 100_000),
        }),
      () => notices.push('Your location is not available.'),
    );
  };

  return (
    <section className="conversation" aria-labelledby="conversation-title">
      <button type="button" className="ghost back" onClick={() => navigate('/chat')}>
        ← Chat
      </button>
      <h1 id="conversation-title">{title}</h1>
      <ol className="messages" aria-live="polite" aria-label="Messages">
        {lines.map((line) => (
          <MessageItem
            key={`${line.senderId}:${line.clientId}`}
            line={line}
            mine={line.senderId === me.id}
          />
        ))}
      </ol>
      <form className="message-form" onSubmit={send}>
        <label className="visually-hidden" htmlFor="message-input">
          Message
        </label>
        <input
          id="message-input"
          value={text}
          maxLength={MESSAGE_MAX_LENGTH}
          autoComplete="off"
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="primary">
          Send
        </button>
        <button type="button" onClick={shareLocation} aria-label="Share my location">
          Location
        </button>
      </form>
    </section>
  );
}

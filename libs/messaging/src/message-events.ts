/** Outbox topic of chat message events, delivered to sockets (and push) after the commit. */
export const MESSAGE_EVENT_TOPIC = 'message.event';

export type MessageEventName = 'message.created' | 'message.updated' | 'message.deleted';

/** The outbox row holds ids only: bodies stay in the messages table, under retention. */
export interface MessageEventMessage {
  conversationId: string;
  messageId: string;
  event: MessageEventName;
  rev: number;
  [key: string]: unknown;
}

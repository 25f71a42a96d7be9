import type { ChatEndpoints, ConversationView, MessageView } from '../api/chat-api';
import { ApiError, NetworkError } from '../api/http';
import { Store } from '../lib/external-store';
import { newClientId } from '../lib/ids';
import {
  readConversations,
  readMessages,
  saveConversations,
  saveMessages,
} from '../storage/chat-cache';
import { enqueue } from '../storage/outbox';

/** A message on screen: stored ones have a seq; ours waiting in the outbox have none yet. */
export type ChatLine = MessageView | (Omit<MessageView, 'seq' | 'id'> & { seq: null; id: null });

export interface ChatState {
  conversations: ConversationView[];
  /** Messages per conversation, ordered by seq, then our pending ones. */
  messages: Record<string, ChatLine[]>;
  /** False when the server has no chat yet (404), so the screen can say so. */
  available: boolean;
}

/** Conversations and messages: cached, fetched, caught up after a reconnect, sent in order. */
export class ChatModel {
  readonly store = new Store<ChatState>({ conversations: [], messages: {}, available: true });
  private readonly open = new Set<string>();

  constructor(
    private readonly chat: ChatEndpoints,
    private readonly me: { id: string; displayName: string },
    private readonly flushOutbox: () => void,
  ) {}

  async start(): Promise<void> {
    const cached = await readConversations();
    this.store.update((state) => ({ ...state, conversations: cached }));
    try {
      const conversations = await this.chat.conversations();
      this.store.update((state) => ({ ...state, conversations, available: true }));
      await saveConversations(conversations);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.store.update((state) => ({ ...state, available: false }));
      } else if (!(error instanceof NetworkError)) {
        throw error;
      }
    }
  }

  /** Shows the cached messages, then fetches what came after them. */
  async openConversation(id: string): Promise<void> {
    this.open.add(id);
    const cached = await readMessages(id);
    this.setMessages(id, mergeMessages(this.store.get().messages[id] ?? [], cached));
    await this.catchUp(id);
  }

  closeConversation(id: string): void {
    this.open.delete(id);
  }

  /** After a reconnect: every open conversation fetches what it missed. */
  async catchUpAll(): Promise<void> {
    await Promise.all([...this.open].map((id) => this.catchUp(id)));
  }

  received(message: MessageView): void {
    this.setMessages(
      message.conversationId,
      mergeMessages(this.store.get().messages[message.conversationId] ?? [], [message]),
    );
  }

  async send(conversationId: string, body: string): Promise<void> {
    const clientId = newClientId();
    const createdAt = new Date().toISOString();
    const line: ChatLine = {
      id: null,
      seq: null,
      conversationId,
      clientId,
      senderId: this.me.id,
      senderName: this.me.displayName,
      body,
      createdAt,
    };
    this.store.update((state) => ({
      ...state,
      messages: {
        ...state.messages,
        [conversationId]: [...(state.messages[conversationId] ?? []), line],
      },
    }));
    await enqueue({ kind: 'message', clientId, conversationId, body, createdAt });
    this.flushOutbox();
  }

  private async catchUp(id: string): Promise<void> {
    const stored = (this.store.get().messages[id] ?? []).filter((m) => m.seq !== null);
    const afterSeq = stored.length > 0 ? (stored[stored.length - 1].seq ?? 0) : 0;
    try {
      this.setMessages(
        id,
        mergeMessages(this.store.get().messages[id] ?? [], await this.chat.messages(id, afterSeq)),
      );
    } catch (error) {
      if (!(error instanceof NetworkError) && !(error instanceof ApiError)) throw error;
    }
  }

  private setMessages(id: string, lines: ChatLine[]): void {
    this.store.update((state) => ({ ...state, messages: { ...state.messages, [id]: lines } }));
    void saveMessages(
      id,
      lines.filter((line): line is MessageView => line.seq !== null),
    );
  }
}

/** Stored messages by seq without duplicates; a pending line leaves once its seq arrives. */
export function mergeMessages(current: ChatLine[], incoming: MessageView[]): ChatLine[] {
  const bySeq = new Map<number, MessageView>();
  for (const line of [...current, ...incoming]) {
    if (line.seq !== null) bySeq.set(line.seq, line as MessageView);
  }
  const stored = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const storedClientIds = new Set(stored.map((m) => m.clientId));
  const waiting = current.filter((l) => l.seq === null && !storedClientIds.has(l.clientId));

  return [...stored, ...waiting];
}

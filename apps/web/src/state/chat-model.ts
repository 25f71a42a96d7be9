import type { ConversationView, MessageView, SharedLocation } from '@tocsin/contracts';
import type { ChatEndpoints } from '../api/chat-api';
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
}

const ignoreOffline = (error: unknown) => {
  if (!(error instanceof NetworkError) && !(error instanceof ApiError)) throw error;
};

/** Conversations and messages: cached, fetched, caught up after a reconnect, sent in order. */
export class ChatModel {
  readonly store = new Store<ChatState>({ conversations: [], messages: {} });
  private readonly open = new Set<string>();

  constructor(
    private readonly chat: ChatEndpoints,
    private readonly me: { id: string; displayName: string; agencyId: string },
    private readonly flushOutbox: () => void,
  ) {}

  async start(): Promise<void> {
    const cached = await readConversations();
    this.store.update((state) => ({ ...state, conversations: cached }));
    await this.refreshConversations();
  }

  async refreshConversations(): Promise<void> {
    try {
      const conversations = await this.chat.conversations();
      this.store.update((state) => ({ ...state, conversations }));
      await saveConversations(conversations);
    } catch (error) {
      ignoreOffline(error);
    }
  }

  /** Shows the cached messages, then fetches what came after them, and marks them read. */
  async openConversation(id: string): Promise<void> {
    this.open.add(id);
    const cached = await readMessages(id);
    this.setMessages(id, mergeMessages(this.store.get().messages[id] ?? [], cached));
    await this.catchUp(id);
  }

  closeConversation(id: string): void {
    this.open.delete(id);
  }

  /** After a reconnect: the list, and every open conversation fetches what it missed. */
  async catchUpAll(): Promise<void> {
    await Promise.all([
      this.refreshConversations(),
      ...[...this.open].map((id) => this.catchUp(id)),
    ]);
  }

  /** A message from the socket or the outbox: new, edited or deleted. */
  received(message: MessageView): void {
    const id = message.conversationId;
    this.setMessages(id, mergeMessages(this.store.get().messages[id] ?? [], [message]));
    this.store.update((state) => ({
      ...state,
      conversations: state.conversations.map((c) =>
        c.id === id ? withNewMessage(c, message, this.open.has(id), this.me.id) : c,
      ),
    }));
    if (this.open.has(id)) this.markRead(id, message.seq);
  }

  send(conversationId: string, body: string): Promise<void> {
    return this.queue(conversationId, { body });
  }

  shareLocation(conversationId: string, location: SharedLocation): Promise<void> {
    return this.queue(conversationId, { location });
  }

  private async queue(
    conversationId: string,
    content: { body?: string; location?: SharedLocation },
  ): Promise<void> {
    const clientId = newClientId();
    const createdAt = new Date().toISOString();
    const line: ChatLine = {
      id: null,
      seq: null,
      rev: 0,
      conversationId,
      clientId,
      senderId: this.me.id,
      senderName: this.me.displayName,
      senderAgencyId: this.me.agencyId,
      kind: content.location ? 'location' : 'text',
      body: content.body ?? null,
      location: content.location ?? null,
      version: 1,
      createdAt,
      editedAt: null,
      deletedAt: null,
    };
    this.store.update((state) => ({
      ...state,
      messages: {
        ...state.messages,
        [conversationId]: [...(state.messages[conversationId] ?? []), line],
      },
    }));
    await enqueue({ kind: 'message', clientId, conversationId, ...content, createdAt });
    this.flushOutbox();
  }

  private async catchUp(id: string): Promise<void> {
    const stored = (this.store.get().messages[id] ?? []).filter((m) => m.seq !== null);
    const afterSeq = stored.length > 0 ? (stored[stored.length - 1].seq ?? 0) : 0;
    try {
      const page = await this.chat.messages(id, afterSeq);
      this.setMessages(id, mergeMessages(this.store.get().messages[id] ?? [], page.messages));
      if (page.lastSeq > 0) this.markRead(id, page.lastSeq);
    } catch (error) {
      ignoreOffline(error);
    }
  }

  private markRead(id: string, seq: number): void {
    this.store.update((state) => ({
      ...state,
      conversations: state.conversations.map((c) =>
        c.id === id && c.membership
          ? { ...c, membership: { ...c.membership, readSeq: seq, unread: 0 } }
          : c,
      ),
    }));
    this.chat.markRead(id, seq).catch(ignoreOffline);
  }

  private setMessages(id: string, lines: ChatLine[]): void {
    this.store.update((state) => ({ ...state, messages: { ...state.messages, [id]: lines } }));
    // After logout the storage is locked: the copy on screen is all that is wanted then.
    saveMessages(
      id,
      lines.filter((line): line is MessageView => line.seq !== null),
    ).catch(() => undefined);
  }
}

function withNewMessage(
  conversation: ConversationView,
  message: MessageView,
  open: boolean,
  myId: string,
): ConversationView {
  const lastSeq = Math.max(conversation.lastSeq, message.seq);
  const isNew = message.seq > conversation.lastSeq && message.senderId !== myId && !open;
  const membership = conversation.membership
    ? { ...conversation.membership, unread: conversation.membership.unread + (isNew ? 1 : 0) }
    : undefined;

  return { ...conversation, lastSeq, ...(membership ? { membership } : {}) };
}

/** Stored messages by seq (a newer copy replaces an older one), then our waiting lines. */
export function mergeMessages(current: ChatLine[], incoming: MessageView[]): ChatLine[] {
  const bySeq = new Map<number, MessageView>();
  for (const line of [...current, ...incoming]) {
    if (line.seq === null) continue;
    const known = bySeq.get(line.seq);
    if (!known || line.version >= known.version) bySeq.set(line.seq, line as MessageView);
  }
  const stored = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const storedClientIds = new Set(stored.map((m) => m.clientId));
  const waiting = current.filter((l) => l.seq === null && !storedClientIds.has(l.clientId));

  return [...stored, ...waiting];
}

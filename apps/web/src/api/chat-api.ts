import type { ApiClient } from './http';

// TODO: move these two types into libs/contracts when the messaging library lands; they
// follow DESIGN.md's outside contract for conversations and messages.
export interface ConversationView {
  id: string;
  kind: 'group' | 'incident' | 'direct' | 'interagency';
  title: string | null;
  lastSeq: number;
  lastReadSeq: number;
  updatedAt: string;
}

export interface MessageView {
  id: string;
  conversationId: string;
  seq: number;
  clientId: string;
  senderId: string;
  senderName?: string;
  body: string;
  location?: { lat: number; lon: number } | null;
  createdAt: string;
}

/** The chat calls of DESIGN.md's outside contract. */
export function chatEndpoints(api: ApiClient) {
  return {
    conversations: () => api.request<ConversationView[]>('/api/conversations'),
    messages: (conversationId: string, afterSeq: number) =>
      api.request<MessageView[]>(
        `/api/conversations/${encodeURIComponent(conversationId)}/messages?afterSeq=${afterSeq}`,
      ),
    send: (conversationId: string, clientId: string, body: string) =>
      api.request<MessageView>(
        `/api/conversations/${encodeURIComponent(conversationId)}/messages`,
        { method: 'POST', body: { clientId, body } },
      ),
  };
}

export type ChatEndpoints = ReturnType<typeof chatEndpoints>;

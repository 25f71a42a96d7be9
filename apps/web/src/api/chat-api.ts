import type {
  ConversationView,
  MessagePage,
  MessageView,
  ReceiptEvent,
  SharedLocation,
} from '@tocsin/contracts';
import type { ApiClient } from './http';

export type { ConversationView, MessageView };

const path = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

/** The chat calls (libs/messaging's conversations controller). */
export function chatEndpoints(api: ApiClient) {
  return {
    conversations: () => api.request<ConversationView[]>('/api/conversations'),
    messages: (conversationId: string, afterSeq: number) =>
      api.request<MessagePage>(`${path(conversationId)}/messages?afterSeq=${afterSeq}`),
    send: (
      conversationId: string,
      clientId: string,
      content: { body?: string; location?: SharedLocation },
    ) =>
      api.request<MessageView>(`${path(conversationId)}/messages`, {
        method: 'POST',
        body: { clientId, ...content },
      }),
    markRead: (conversationId: string, seq: number) =>
      api.request<ReceiptEvent>(`${path(conversationId)}/read`, { method: 'POST', body: { seq } }),
  };
}

export type ChatEndpoints = ReturnType<typeof chatEndpoints>;

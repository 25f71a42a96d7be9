/**
 * Offline copy of the chat, in IndexedDB: the conversation list (`conversations` store) and
 * the last messages of each conversation (`messages` store, one array per conversation id,
 * at most 200, ordered by seq). Cleared at logout.
 */
import type { ConversationView, MessageView } from '@tocsin/contracts';
import { getAll, getValue, putValues, replaceAll } from './idb';

const KEEP = 200;

export function readConversations(): Promise<ConversationView[]> {
  return getAll<ConversationView>('conversations');
}

export function saveConversations(conversations: ConversationView[]): Promise<void> {
  return replaceAll('conversations', conversations);
}

export async function readMessages(conversationId: string): Promise<MessageView[]> {
  return (await getValue<MessageView[]>('messages', conversationId)) ?? [];
}

export function saveMessages(conversationId: string, messages: MessageView[]): Promise<void> {
  return putValues('messages', [messages.slice(-KEEP)], conversationId);
}

/**
 * The outbox, in IndexedDB (`outbox` store): responses and chat messages made while offline
 * (or not yet confirmed), each with its client id, in the order they were made. The sender
 * (state/outbox-sender.ts) sends them oldest first and deletes each once the server took it.
 */
import type { ResponseStatus, SharedLocation } from '@tocsin/contracts';
import { addValue, deleteValue, getAll } from './idb';

export type OutboxItem =
  | {
      kind: 'response';
      clientId: string;
      alertId: string;
      status: ResponseStatus;
      etaMinutes?: number;
      createdAt: string;
    }
  | {
      kind: 'message';
      clientId: string;
      conversationId: string;
      body?: string;
      location?: SharedLocation;
      createdAt: string;
    };

export type StoredOutboxItem = OutboxItem & { seq: number };

export async function enqueue(item: OutboxItem): Promise<void> {
  await addValue('outbox', item);
}

/** Every waiting item, oldest first (the auto-increment key keeps the order). */
export async function pending(): Promise<StoredOutboxItem[]> {
  return getAll<StoredOutboxItem>('outbox');
}

export async function remove(seq: number): Promise<void> {
  await deleteValue('outbox', seq);
}

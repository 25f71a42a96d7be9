import { describe, expect, it } from 'vitest';
import type { MessageView } from '../api/chat-api';
import { mergeMessages, type ChatLine } from './chat-model';

const stored = (seq: number, clientId = `c${seq}`): MessageView => ({
  id: `m${seq}`,
  conversationId: 'k',
  seq,
  clientId,
  senderId: 'u',
  body: `message ${seq}`,
  createdAt: '2026-01-01T00:00:00Z',
});

const waiting = (clientId: string): ChatLine => ({
  ...stored(0, clientId),
  id: null,
  seq: null,
});

describe('mergeMessages', () => {
  it('orders by seq and drops duplicates from a catch-up that overlaps', () => {
    const merged = mergeMessages([stored(1), stored(3)], [stored(3), stored(2), stored(4)]);

    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('keeps our waiting lines last until their stored copy arrives', () => {
    const current = [stored(1), waiting('mine-1'), waiting('mine-2')];

    const merged = mergeMessages(current, [stored(2, 'mine-1')]);

    expect(merged.map((m) => m.seq ?? m.clientId)).toEqual([1, 2, 'mine-2']);
  });
});

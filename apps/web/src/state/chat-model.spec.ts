import { describe, expect, it } from 'vitest';
import type { MessageView } from '@tocsin/contracts';
import { mergeMessages, type ChatLine } from './chat-model';

const stored = (seq: number, clientId = `c${seq}`): MessageView => ({
  id: `m${seq}`,
  conversationId: 'k',
  seq,
  rev: seq,
  clientId,
  senderId: 'u',
  senderName: 'Ann',
  senderAgencyId: 'a',
  kind: 'text',
  body: `message ${seq}`,
  location: null,
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  editedAt: null,
  deletedAt: null,
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

  it('replaces a message by its newer version (an edit or a deletion)', () => {
    const deleted = { ...stored(2), body: null, version: 2, deletedAt: '2026-01-01T00:01:00Z' };

    const merged = mergeMessages([stored(1), stored(2)], [deleted]);

    expect(merged[1]).toMatchObject({ seq: 2, body: null, version: 2 });
    expect(mergeMessages(merged, [stored(2)])[1]).toMatchObject({ body: null });
  });

  it('keeps our waiting lines last until their stored copy arrives', () => {
    const current = [stored(1), waiting('mine-1'), waiting('mine-2')];

    const merged = mergeMessages(current, [stored(2, 'mine-1')]);

    expect(merged.map((m) => m.seq ?? m.clientId)).toEqual([1, 2, 'mine-2']);
  });
});

import type { ConversationView } from '@tocsin/contracts';
import { describe, expect, it } from 'vitest';
import { buildExport, verifyExport, type ArchivedVersion } from './archive-format';

const conversation: ConversationView = {
  id: 'c1',
  kind: 'group',
  title: 'Engine 4',
  agencyId: 'a1',
  groupId: 'g1',
  alertId: null,
  lastSeq: 2,
  lastRev: 4,
  archived: true,
  archivingAgencyIds: ['a1'],
  interagency: false,
  legalHold: false,
  createdAt: '2026-01-01T00:00:00.000Z',
};

const version = (overrides: Partial<ArchivedVersion>): ArchivedVersion => ({
  type: 'message_version',
  conversationId: 'c1',
  messageId: 'm1',
  seq: 1,
  clientId: 'k1',
  senderId: 'u1',
  senderName: 'Ana',
  senderAgencyId: 'a1',
  kind: 'text',
  version: 1,
  action: 'created',
  body: 'first',
  location: null,
  actorId: 'u1',
  at: '2026-01-01T00:00:01.000Z',
  ...overrides,
});

const versions = [
  version({}),
  version({ version: 2, action: 'edited', body: 'first, fixed' }),
  version({ version: 3, action: 'deleted', body: null }),
  version({ messageId: 'm2', seq: 2, body: 'line one\nline two' }),
];
const meta = { exportedBy: 'admin', exportedAt: new Date(0), from: null, to: null };

describe('archive export', () => {
  it('counts messages, versions, edits and deletions, and verifies', () => {
    const archive = buildExport(conversation, versions, meta);

    expect(archive.manifest.counts).toEqual({ messages: 2, versions: 4, edits: 1, deletions: 1 });
    expect(
      archive.jsonl
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).body),
    ).toEqual(['first', 'first, fixed', null, 'line one\nline two']);
    expect(verifyExport(archive)).toEqual([]);
  });

  it('keeps every version readable in the transcript, multi-line text indented', () => {
    const { transcript } = buildExport(conversation, versions, meta);

    expect(transcript).toContain('#1 Ana: first');
    expect(transcript).toContain('#1 Ana (edited, v2): first, fixed');
    expect(transcript).toContain('#1 Ana (deleted, v3): [deleted]');
    expect(transcript).toContain('#2 Ana: line one\n    line two');
  });

  it('detects an altered line or a dropped version', () => {
    const archive = buildExport(conversation, versions, meta);
    const altered = { ...archive, jsonl: archive.jsonl.replace('first', 'FIRST') };
    const dropped = { ...archive, jsonl: archive.jsonl.split('\n').slice(1).join('\n') };

    expect(verifyExport(altered)).toContain('jsonl hash differs');
    expect(verifyExport(dropped)).toEqual(
      expect.arrayContaining(['jsonl hash differs', 'version count differs']),
    );
  });
});

import { createHash } from 'node:crypto';
import type {
  ArchiveExport,
  ArchiveManifest,
  ConversationView,
  SharedLocation,
} from '@tocsin/contracts';

/** One archived version of a message, as exported (one JSON Lines record). */
export interface ArchivedVersion {
  type: 'message_version';
  conversationId: string;
  messageId: string;
  seq: number;
  clientId: string;
  senderId: string | null;
  senderName: string | null;
  senderAgencyId: string;
  kind: 'text' | 'location';
  version: number;
  action: 'created' | 'edited' | 'deleted';
  body: string | null;
  location: SharedLocation | null;
  actorId: string | null;
  at: string;
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Builds the export: JSON Lines (one version a line, by seq then version), a plain-text
 * transcript, and a manifest with the counts and the SHA-256 of both texts.
 */
export function buildExport(
  conversation: ConversationView,
  versions: ArchivedVersion[],
  meta: { exportedBy: string; exportedAt: Date; from: Date | null; to: Date | null },
): ArchiveExport {
  const jsonl = versions.map((version) => JSON.stringify(version) + '\n').join('');
  const transcript = transcriptOf(conversation, versions);
  const manifest: ArchiveManifest = {
    format: 'tocsin-chat-export/1',
    conversation,
    exportedBy: meta.exportedBy,
    exportedAt: meta.exportedAt.toISOString(),
    range: { from: meta.from?.toISOString() ?? null, to: meta.to?.toISOString() ?? null },
    counts: {
      messages: new Set(versions.map((version) => version.messageId)).size,
      versions: versions.length,
      edits: versions.filter((version) => version.action === 'edited').length,
      deletions: versions.filter((version) => version.action === 'deleted').length,
    },
    sha256: { jsonl: sha256(jsonl), transcript: sha256(transcript) },
  };

  return { manifest, jsonl, transcript };
}

/** Checks an export against its manifest: hashes and counts. Returns the problems found. */
export function verifyExport(archive: ArchiveExport): string[] {
  const problems: string[] = [];
  const { manifest } = archive;
  if (sha256(archive.jsonl) !== manifest.sha256.jsonl) problems.push('jsonl hash differs');
  if (sha256(archive.transcript) !== manifest.sha256.transcript) {
    problems.push('transcript hash differs');
  }
  const lines = archive.jsonl.split('\n').filter((line) => line !== '');
  if (lines.length !== manifest.counts.versions) problems.push('version count differs');

  return problems;
}

function transcriptOf(conversation: ConversationView, versions: ArchivedVersion[]): string {
  const header = [
    `Conversation ${conversation.id} (${conversation.kind})${
      conversation.title ? `: ${conversation.title}` : ''
    }`,
    `Agencies: ${conversation.archivingAgencyIds.join(', ')}`,
    '',
  ];
  const lines = versions.map((version) => {
    const who = `${version.senderName ?? version.senderId ?? 'unknown'}`;
    const what =
      version.action === 'deleted'
        ? '[deleted]'
        : [
            version.body ?? '',
            version.location
              ? `[location ${version.location.lat}, ${version.location.lon}` +
                `${version.location.accuracy === undefined ? '' : ` ±${version.location.accuracy} m`}]`
              : '',
          ]
            .filter((part) => part !== '')
            .join(' ');
    const tag = version.action === 'created' ? '' : ` (${version.action}, v${version.version})`;

    // Each line break inside a message is indented so a message never looks like two.
    return `[${version.at}] #${version.seq} ${who}${tag}: ${what.replace(/\r?\n/g, '\n    ')}`;
  });

  return [...header, ...lines, ''].join('\n');
}

import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The `prev_hash` of the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an event's hash covers: everything stored about it except the hash itself. */
export interface HashedAuditContent {
  id: string;
  chain: string;
  agencyId: string | null;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
  prevHash: string;
}

/** SHA-256 (hex) of the previous event's hash and this event's canonical content. */
export function auditEventHash(content: HashedAuditContent): string {
  const body = canonicalJson({
    id: content.id,
    chain: content.chain,
    agencyId: content.agencyId,
    actorId: content.actorId,
    action: content.action,
    targetType: content.targetType,
    targetId: content.targetId,
    data: content.data,
    createdAt: content.createdAt.toISOString(),
  });

  return createHash('sha256').update(content.prevHash).update('\n').update(body).digest('hex');
}

import type { AuditVerification } from '@tocsin/contracts';
import type { EntityManager } from 'typeorm';
import { auditEventHash, GENESIS_HASH } from './audit-hash';

interface StoredRow {
  id: string;
  seq: string;
  chain: string;
  agency_id: string | null;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
  prev_hash: string;
  hash: string;
}

const BATCH = 1000;

/**
 * Walks the chains in order and recomputes every hash. `chains` limits the walk (an agency
 * verifies its own chain); without it every chain is checked. Stops at the first broken
 * link and names it. Works on any EntityManager, so the CLI uses it without Nest.
 *
 * TODO: removing the newest events of a chain leaves a shorter chain that still verifies;
 * anchoring each chain's head outside the database (a signed checkpoint) would catch it.
 */
export async function verifyAuditChains(
  manager: EntityManager,
  chains?: string[],
): Promise<AuditVerification> {
  const heads = new Map<string, string>();
  let checked = 0;
  let afterSeq = '0';

  for (;;) {
    const rows = (await manager.query(
      `SELECT id, seq::text AS seq, chain, agency_id, actor_id, action, target_type, target_id,
              data, created_at, prev_hash, hash
         FROM audit_events
        WHERE audit_events.seq > $1 AND ($2::text[] IS NULL OR chain = ANY($2::text[]))
        ORDER BY audit_events.seq
        LIMIT ${BATCH}`,
      [afterSeq, chains ?? null],
    )) as StoredRow[];

    for (const row of rows) {
      const expectedPrev = heads.get(row.chain) ?? GENESIS_HASH;
      const recomputed = auditEventHash({
        id: row.id,
        chain: row.chain,
        agencyId: row.agency_id,
        actorId: row.actor_id,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        data: row.data,
        createdAt: row.created_at,
        prevHash: row.prev_hash,
      });
      const reason =
        row.prev_hash !== expectedPrev
          ? ('prev_hash_mismatch' as const)
          : recomputed !== row.hash
            ? ('hash_mismatch' as const)
            : undefined;
      if (reason) {
        return {
          ok: false,
          checked,
          chains: heads.size,
          firstBrokenId: row.id,
          firstBrokenSeq: row.seq,
          reason,
        };
      }
      heads.set(row.chain, row.hash);
      checked += 1;
    }

    if (rows.length < BATCH) break;
    afterSeq = rows[rows.length - 1].seq;
  }

  return { ok: true, checked, chains: heads.size };
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { DomainError } from '@tocsin/common';
import type { ArchiveExport, ConversationView } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import { DataSource, type EntityManager } from 'typeorm';
import { buildExport, type ArchivedVersion } from './archive-format';
import { ConversationStore } from './conversation-store';
import { messagingErrors } from './errors';
import { assertAdmin } from './policy.service';
import type { ConversationRecord } from './records';

const READ_LIMIT = 1000;
const EXPORT_LIMIT = 200_000;

interface VersionRow {
  message_id: string;
  conversation_id: string;
  seq: string;
  client_id: string;
  sender_id: string | null;
  sender_name: string | null;
  sender_agency_id: string;
  kind: 'text' | 'location';
  version: number;
  action: 'created' | 'edited' | 'deleted';
  body: string | null;
  location: ArchivedVersion['location'];
  actor_id: string | null;
  at: Date;
}

/**
 * The agency's archive: its administrators read every conversation their agency takes part
 * in, read-only and with every version, and export them. Each read and export is audited.
 */
@Injectable()
export class ArchiveService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: ConversationStore,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal): Promise<ConversationView[]> {
    assertAdmin(principal);

    return this.dataSource.transaction(async (manager) => {
      const views = await this.store.listForAgency(manager, principal.agencyId);
      await this.record(manager, principal, 'archive.listed', null, { count: views.length });

      return views;
    });
  }

  /** Every version of the conversation's messages after `afterSeq`, by seq then version. */
  async read(principal: Principal, id: string, afterSeq: number) {
    assertAdmin(principal);

    return this.dataSource.transaction(async (manager) => {
      const conversation = await this.held(manager, principal, id);
      const versions = await this.versions(manager, id, { afterSeq, limit: READ_LIMIT });
      await this.record(manager, principal, 'archive.read', id, {
        afterSeq,
        versions: versions.length,
      });

      return { conversation: await this.store.view(manager, conversation), versions };
    });
  }

  async export(
    principal: Principal,
    id: string,
    range: { from?: Date; to?: Date },
  ): Promise<ArchiveExport> {
    assertAdmin(principal);
    if (range.from && range.to && range.from >= range.to) {
      throw messagingErrors.invalid('archive.range_invalid', '`from` must be before `to`');
    }

    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const conversation = await this.held(manager, principal, id);
      const versions = await this.versions(manager, id, { ...range, limit: EXPORT_LIMIT + 1 });
      // TODO: stream very large exports instead of refusing them; until then, narrow the range.
      if (versions.length > EXPORT_LIMIT) {
        throw new DomainError(
          'too_large',
          'archive.too_large',
          `more than ${EXPORT_LIMIT} versions: export a narrower time range`,
        );
      }
      const archive = buildExport(await this.store.view(manager, conversation), versions, {
        exportedBy: principal.userId,
        exportedAt: new Date(),
        from: range.from ?? null,
        to: range.to ?? null,
      });
      await this.record(manager, principal, 'archive.exported', id, {
        from: archive.manifest.range.from,
        to: archive.manifest.range.to,
        counts: archive.manifest.counts,
        sha256: archive.manifest.sha256,
      });

      return archive;
    });
  }

  /** Puts the conversation under (or lifts) the caller's agency's legal hold. */
  async setLegalHold(principal: Principal, id: string, hold: boolean, reason?: string) {
    assertAdmin(principal);

    return this.dataSource.transaction(async (manager) => {
      const conversation = await this.held(manager, principal, id);
      if (hold) {
        await manager.query(
          `INSERT INTO conversation_holds (conversation_id, agency_id, reason, set_by)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (conversation_id, agency_id) DO UPDATE SET reason = EXCLUDED.reason`,
          [id, principal.agencyId, reason ?? null, principal.userId],
        );
      } else {
        await manager.query(
          'DELETE FROM conversation_holds WHERE conversation_id = $1 AND agency_id = $2',
          [id, principal.agencyId],
        );
      }
      await this.record(manager, principal, hold ? 'archive.hold_set' : 'archive.hold_lifted', id, {
        reason: reason ?? null,
      });

      return this.store.view(manager, conversation);
    });
  }

  /** A conversation the caller's agency takes part in; any other answers 404. */
  private async held(
    manager: EntityManager,
    principal: Principal,
    id: string,
  ): Promise<ConversationRecord> {
    const conversation = await this.store.find(manager, id);
    if (
      !conversation ||
      !(await this.store.agencyTakesPart(manager, conversation, principal.agencyId))
    ) {
      throw messagingErrors.conversationNotFound();
    }

    return conversation;
  }

  private async versions(
    manager: EntityManager,
    id: string,
    range: { afterSeq?: number; from?: Date; to?: Date; limit: number },
  ): Promise<ArchivedVersion[]> {
    const rows = (await manager.query(
      `SELECT v.message_id, m.conversation_id, m.seq, m.client_id, m.sender_id,
              su.display_name AS sender_name, m.sender_agency_id, m.kind, v.version, v.action,
              v.body, v.location, v.actor_id, v.at
         FROM message_versions v
         JOIN messages m ON m.id = v.message_id
         LEFT JOIN users su ON su.id = m.sender_id
        WHERE m.conversation_id = $1 AND m.seq > $2
          AND ($3::timestamptz IS NULL OR m.created_at >= $3)
          AND ($4::timestamptz IS NULL OR m.created_at < $4)
        ORDER BY m.seq, v.version
        LIMIT $5`,
      [id, range.afterSeq ?? 0, range.from ?? null, range.to ?? null, range.limit],
    )) as VersionRow[];

    return rows.map((row) => ({
      type: 'message_version' as const,
      conversationId: row.conversation_id,
      messageId: row.message_id,
      seq: Number(row.seq),
      clientId: row.client_id,
      senderId: row.sender_id,
      senderName: row.sender_name,
      senderAgencyId: row.sender_agency_id,
      kind: row.kind,
      version: row.version,
      action: row.action,
      body: row.body,
      location: row.location,
      actorId: row.actor_id,
      at: row.at.toISOString(),
    }));
  }

  private record(
    manager: EntityManager,
    principal: Principal,
    action: string,
    conversationId: string | null,
    data: Record<string, unknown>,
  ) {
    return this.audit.record(manager, {
      agencyId: principal.agencyId,
      actorId: principal.userId,
      action,
      targetType: conversationId ? 'conversation' : null,
      targetId: conversationId,
      data,
    });
  }
}

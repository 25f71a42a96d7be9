import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { DomainError } from '@tocsin/common';
import type { Principal } from '@tocsin/http';
import { DataSource } from 'typeorm';
import { FeedPoller } from './feed-poller.service';
import {
  type CreateFeedSourceDto,
  type FeedSourceRow,
  type FeedSourceView,
  toFeedSourceView,
} from './feed-source';
import { FEED_URL_POLICY } from './feeds.tokens';
import type { FeedUrlPolicy } from './feed-url-policy';

const DEFAULT_INTERVAL_SECONDS = 300;

/** Administrators configure the feeds their agency ingests, and watch their state. */
@Injectable()
export class FeedSourcesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(FEED_URL_POLICY) private readonly policy: FeedUrlPolicy,
    private readonly poller: FeedPoller,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, dto: CreateFeedSourceDto): Promise<FeedSourceView> {
    assertAdmin(principal);
    const url = (await this.policy.check(dto.url)).toString();

    const row = await this.dataSource.transaction(async (manager) => {
      const rows: FeedSourceRow[] = await manager.query(
        `INSERT INTO feed_sources (agency_id, url, kind, interval_seconds, created_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (agency_id, url) DO NOTHING
         RETURNING *`,
        [
          principal.agencyId,
          url,
          dto.kind,
          dto.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS,
          principal.userId,
        ],
      );
      if (!rows[0]) {
        throw new DomainError('conflict', 'feed.exists', 'your agency already polls this feed');
      }
      await this.audit.record(manager, {
        agencyId: principal.agencyId,
        actorId: principal.userId,
        action: 'feed.added',
        targetType: 'feed',
        targetId: rows[0].id,
        data: { url, kind: dto.kind },
      });

      return rows[0];
    });
    await this.poller.schedule(row.id, 0);

    return toFeedSourceView(row);
  }

  async list(principal: Principal): Promise<FeedSourceView[]> {
    assertAdmin(principal);
    const rows: FeedSourceRow[] = await this.dataSource.query(
      'SELECT * FROM feed_sources WHERE agency_id = $1 ORDER BY created_at',
      [principal.agencyId],
    );

    return rows.map(toFeedSourceView);
  }

  async get(principal: Principal, id: string): Promise<FeedSourceView> {
    assertAdmin(principal);

    return toFeedSourceView(await this.load(principal, id));
  }

  async remove(principal: Principal, id: string): Promise<void> {
    assertAdmin(principal);
    await this.dataSource.transaction(async (manager) => {
      // TypeORM answers a DELETE ... RETURNING as [rows, affected count].
      const [rows] = (await manager.query(
        'DELETE FROM feed_sources WHERE id = $1 AND agency_id = $2 RETURNING url',
        [id, principal.agencyId],
      )) as [{ url: string }[], number];
      if (!rows[0]) throw notFound();
      await this.audit.record(manager, {
        agencyId: principal.agencyId,
        actorId: principal.userId,
        action: 'feed.removed',
        targetType: 'feed',
        targetId: id,
        data: { url: rows[0].url },
      });
    });
  }

  /** Polls a feed now (an administrator's "refresh"), and answers its new state. */
  async pollNow(principal: Principal, id: string): Promise<FeedSourceView> {
    assertAdmin(principal);
    await this.load(principal, id);
    await this.poller.poll(id);

    return toFeedSourceView(await this.load(principal, id));
  }

  private async load(principal: Principal, id: string): Promise<FeedSourceRow> {
    const rows: FeedSourceRow[] = await this.dataSource.query(
      'SELECT * FROM feed_sources WHERE id = $1 AND agency_id = $2',
      [id, principal.agencyId],
    );
    if (!rows[0]) throw notFound();

    return rows[0];
  }
}

function assertAdmin(principal: Principal): void {
  if (principal.role !== 'admin') {
    throw new DomainError('forbidden', 'feed.admin_only', 'only administrators manage feeds');
  }
}

function notFound(): DomainError {
  return new DomainError('not_found', 'feed.not_found', 'no such feed');
}

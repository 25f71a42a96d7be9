import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_FEED_URL_LENGTH } from './feed-url-policy';

export const FEED_KINDS = ['cap', 'atom', 'rss'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export class CreateFeedSourceDto {
  @ApiProperty({ description: 'https URL of the feed (http only for FEED_ALLOWED_HOSTS)' })
  @IsString()
  @MaxLength(MAX_FEED_URL_LENGTH)
  url!: string;

  @ApiProperty({
    enum: FEED_KINDS,
    description: '`cap`: the URL is one CAP message; `atom`/`rss`: a feed listing CAP links',
  })
  @IsIn(FEED_KINDS)
  kind!: FeedKind;

  @ApiPropertyOptional({ description: 'Seconds between polls (30 to 86400, default 300)' })
  @IsOptional()
  @IsInt()
  @Min(30)
  @Max(86_400)
  intervalSeconds?: number;
}

/** A feed and its polling state, as administrators see it. */
export interface FeedSourceView {
  id: string;
  agencyId: string;
  url: string;
  kind: FeedKind;
  intervalSeconds: number;
  createdAt: string;
  lastPolledAt: string | null;
  etag: string | null;
  lastModified: string | null;
  /** HTTP status of the last poll (304 when unchanged), null when no answer came. */
  lastStatus: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  nextPollAt: string;
  importedCount: number;
}

export interface FeedSourceRow {
  id: string;
  agency_id: string;
  url: string;
  kind: FeedKind;
  interval_seconds: number;
  created_at: Date;
  last_polled_at: Date | null;
  etag: string | null;
  last_modified: string | null;
  last_status: number | null;
  last_error: string | null;
  consecutive_failures: number;
  next_poll_at: Date;
  imported_count: number;
}

export function toFeedSourceView(row: FeedSourceRow): FeedSourceView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    url: row.url,
    kind: row.kind,
    intervalSeconds: row.interval_seconds,
    createdAt: row.created_at.toISOString(),
    lastPolledAt: row.last_polled_at?.toISOString() ?? null,
    etag: row.etag,
    lastModified: row.last_modified,
    lastStatus: row.last_status,
    lastError: row.last_error,
    consecutiveFailures: row.consecutive_failures,
    nextPollAt: row.next_poll_at.toISOString(),
    importedCount: row.imported_count,
  };
}

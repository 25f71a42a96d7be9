import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CapImportService, type CapImportOutcome } from '@tocsin/alerts';
import { CAP_MAX_BYTES, parseCap } from '@tocsin/cap';
import { isDomainError } from '@tocsin/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { JOB_QUEUE, type JobQueue } from '@tocsin/jobs';
import { DataSource } from 'typeorm';
import { FeedFetchError, fetchFeed } from './feed-fetcher';
import { capLinks } from './feed-links';
import type { FeedSourceRow } from './feed-source';
import type { FeedUrlPolicy } from './feed-url-policy';
import { FEED_URL_POLICY } from './feeds.tokens';

const FEED_POLL_JOB = 'feed.poll';
/** CAP links fetched from one feed per poll; the rest wait for the next poll. */
const MAX_LINKS_PER_POLL = 50;
const CHANGED: CapImportOutcome[] = ['created', 'updated', 'cancelled', 'held'];

/** What one poll did, for the feed's state. */
interface PollOutcome {
  status: number;
  etag?: string | null;
  lastModified?: string | null;
  imported: number;
  /** Messages refused or failed, one line each; the feed itself still counts as polled. */
  itemErrors: string[];
}

/**
 * Polls configured feeds on their interval through the job queue, with conditional requests.
 * A feed (Atom or RSS) lists CAP links: each new link is fetched once and imported on behalf
 * of the feed's agency; a `cap` feed is one CAP document imported whenever it changes
 * (importing a message twice changes nothing). A failed poll is retried with exponential
 * backoff up to FEED_MAX_BACKOFF_MINUTES; the state is kept on the feed for administrators.
 */
@Injectable()
export class FeedPoller implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(FeedPoller.name);
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(FEED_URL_POLICY) private readonly policy: FeedUrlPolicy,
    private readonly importer: CapImportService,
  ) {}

  onModuleInit(): void {
    this.queue.process<{ feedId: string }>(
      FEED_POLL_JOB,
      (data) => this.pollAndReschedule(data.feedId),
      {
        concurrency: 2,
      },
    );
  }

  /** Timers of every feed are set again at start, so a restart loses none. */
  async onApplicationBootstrap(): Promise<void> {
    const feeds: { id: string; due_ms: number }[] = await this.dataSource.query(
      `SELECT id, GREATEST(0, EXTRACT(EPOCH FROM (next_poll_at - now())) * 1000)::float8 AS due_ms
         FROM feed_sources`,
    );
    for (const feed of feeds) await this.schedule(feed.id, feed.due_ms);
  }

  async schedule(feedId: string, delayMs: number): Promise<void> {
    const due = Date.now() + Math.round(delayMs);
    await this.queue.add(
      FEED_POLL_JOB,
      { feedId },
      { delayMs: Math.round(delayMs), jobId: `feed-${feedId}-${Math.floor(due / 1000)}` },
    );
  }

  /** Polls one feed now; a poll of the same feed already running is joined, not repeated. */
  poll(feedId: string): Promise<void> {
    const current = this.running.get(feedId);
    if (current) return current;
    const run = this.pollOnce(feedId).finally(() => this.running.delete(feedId));
    this.running.set(feedId, run);

    return run;
  }

  private async pollAndReschedule(feedId: string): Promise<void> {
    await this.poll(feedId);
    const rows: { due_ms: number }[] = await this.dataSource.query(
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM (next_poll_at - now())) * 1000)::float8 AS due_ms
         FROM feed_sources WHERE id = $1`,
      [feedId],
    );
    if (rows[0]) await this.schedule(feedId, rows[0].due_ms);
  }

  private async pollOnce(feedId: string): Promise<void> {
    const rows: FeedSourceRow[] = await this.dataSource.query(
      'SELECT * FROM feed_sources WHERE id = $1',
      [feedId],
    );
    const feed = rows[0];
    if (!feed) return;

    try {
      const outcome = await this.fetchAndImport(feed);
      await this.recordSuccess(feed, outcome);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const status = error instanceof FeedFetchError ? error.status : null;
      this.logger.warn({ feedId, status, reason: message }, 'feed poll failed');
      await this.recordFailure(feed, status, message);
    }
  }

  private async fetchAndImport(feed: FeedSourceRow): Promise<PollOutcome> {
    const options = { timeoutMs: this.config.cap.feeds.timeoutMs, maxBytes: CAP_MAX_BYTES };
    const result = await fetchFeed(this.policy, feed.url, {
      ...options,
      etag: feed.etag,
      lastModified: feed.last_modified,
    });
    if (result.status === 304) return { status: 304, imported: 0, itemErrors: [] };
    const outcome: PollOutcome = {
      status: 200,
      etag: result.etag,
      lastModified: result.lastModified,
      imported: 0,
      itemErrors: [],
    };

    if (feed.kind === 'cap') {
      await this.importOne(feed, feed.url, result.body, outcome);

      return outcome;
    }
    const links = capLinks(feed.kind, result.body, feed.url);
    const seen: { url: string }[] = await this.dataSource.query(
      'SELECT url FROM feed_seen_links WHERE feed_id = $1 AND url = ANY($2::text[])',
      [feed.id, links],
    );
    const known = new Set(seen.map((row) => row.url));
    for (const link of links.filter((l) => !known.has(l)).slice(0, MAX_LINKS_PER_POLL)) {
      try {
        const document = await fetchFeed(this.policy, link, options);
        if (document.status === 304) continue;
        await this.importOne(feed, link, document.body, outcome);
        await this.dataSource.query(
          'INSERT INTO feed_seen_links (feed_id, url) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [feed.id, link],
        );
      } catch (error) {
        // Not marked seen: the link is tried again at the next poll.
        outcome.itemErrors.push(`${link}: ${(error as Error).message}`);
      }
    }

    return outcome;
  }

  /** Imports one CAP document; a refused one is noted and counts as handled. */
  private async importOne(
    feed: FeedSourceRow,
    link: string,
    body: Buffer,
    outcome: PollOutcome,
  ): Promise<void> {
    const parsed = parseCap(body);
    if (!parsed.ok) {
      outcome.itemErrors.push(`${link}: refused (${parsed.reason})`);

      return;
    }
    try {
      const result = await this.importer.importCap(
        { agencyId: feed.agency_id, userId: null },
        parsed.alert,
      );
      if (CHANGED.includes(result.outcome)) outcome.imported += 1;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      outcome.itemErrors.push(`${link}: refused (${error.code})`);
    }
  }

  private async recordSuccess(feed: FeedSourceRow, outcome: PollOutcome): Promise<void> {
    await this.dataSource.query(
      `UPDATE feed_sources
          SET last_polled_at = now(), last_status = $2,
              etag = CASE WHEN $2 = 200 THEN $3 ELSE etag END,
              last_modified = CASE WHEN $2 = 200 THEN $4 ELSE last_modified END,
              last_error = $5, consecutive_failures = 0,
              next_poll_at = now() + make_interval(secs => interval_seconds),
              imported_count = imported_count + $6
        WHERE id = $1`,
      [
        feed.id,
        outcome.status,
        outcome.etag ?? null,
        outcome.lastModified ?? null,
        outcome.itemErrors.length > 0 ? outcome.itemErrors.slice(0, 5).join('; ') : null,
        outcome.imported,
      ],
    );
  }

  /** Backoff: the interval doubled per consecutive failure, at most FEED_MAX_BACKOFF_MINUTES. */
  private async recordFailure(
    feed: FeedSourceRow,
    status: number | null,
    message: string,
  ): Promise<void> {
    const failures = feed.consecutive_failures + 1;
    const delaySeconds = Math.min(
      feed.interval_seconds * 2 ** Math.min(failures, 20),
      this.config.cap.feeds.maxBackoffMinutes * 60,
    );
    await this.dataSource.query(
      `UPDATE feed_sources
          SET last_polled_at = now(), last_status = $2, last_error = $3,
              consecutive_failures = $4, next_poll_at = now() + make_interval(secs => $5)
        WHERE id = $1`,
      [feed.id, status, message.slice(0, 500), failures, delaySeconds],
    );
  }
}

import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import type { OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxEntry } from './outbox-entry.entity';
import { SentMarks } from './sent-marks';

export type OutboxHandler = (payload: Record<string, unknown>, entry: OutboxEntry) => Promise<void>;

/**
 * Delivers an owned entry with what its caller holds in memory. `keepLease` takes the row for
 * the slow rest of the work; when it answers false the sweep has taken it over, and the work
 * must stop (the sweep's handler does it again). Resolves true when the entry is done.
 */
export type OwnedDelivery = (keepLease: () => Promise<boolean>) => Promise<boolean>;

/** How long a claim lasts; a process that dies mid-dispatch loses its rows after this. */
export const OUTBOX_LEASE_SECONDS = 15;
const LEASE_SECONDS = OUTBOX_LEASE_SECONDS;
/**
 * A row written already leased is delivered without a claim only while this much of its lease
 * is left; an older one is claimed again, so that this process and another's sweep do not
 * deliver it at the same time (unless its handler runs longer than this margin).
 */
const OWNED_MARGIN_MS = 5_000;
/**
 * How long an entry added with `addOwned` is left to the process that committed it before the
 * sweep may take it: its socket writes run at the commit, but under a burst the query that
 * extends the lease can wait seconds for a pooled connection, and a takeover would write every
 * socket again. A crash right after the commit is recovered by the first sweep after this.
 */
const OWNED_LEASE_SECONDS = 10;
/** Recovery sweep period. It only finds rows whose fast path failed, so it can be slow. */
const SWEEP_INTERVAL_MS = 10_000;
const SWEEP_BATCH = 200;

/**
 * The transactional outbox. `add` writes the intent inside the caller's transaction;
 * `dispatch` hands the committed rows to their handlers at once, in this process. Rows
 * left behind by a crash are found by the sweep at start and then periodically.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxService.name);
  private readonly handlers = new Map<string, OutboxHandler>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private readonly sentMarks = new SentMarks(
    (ids) => this.markSent(ids),
    (error, count) => this.logger.error({ err: error, count }, 'marking outbox rows sent failed'),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Registers the one handler of a topic. Handlers must tolerate a repeated delivery. */
  on(topic: string, handler: OutboxHandler): void {
    if (this.handlers.has(topic)) throw new Error(`outbox topic ${topic} already has a handler`);
    this.handlers.set(topic, handler);
  }

  /** Writes an event in the caller's transaction; nothing is sent until `dispatch`. */
  async add(manager: EntityManager, topic: string, payload: Record<string, unknown>) {
    const entry = manager.create(OutboxEntry, { topic, payload });

    return manager.save(OutboxEntry, entry);
  }

  /**
   * Writes an event already claimed by this process (a short lease, one attempt), for a
   * caller that delivers it with `deliverOwned` from what it holds: no claim round trip and
   * no read-back stand between the commit and the first write to a socket.
   */
  async addOwned(
    manager: EntityManager,
    topic: string,
    payload: Record<string, unknown>,
  ): Promise<OutboxEntry> {
    const [row]: { id: string; created_at: Date }[] = await manager.query(
      `INSERT INTO outbox (topic, payload, lease_until, attempts)
       VALUES ($1, $2, now() + make_interval(secs => $3), 1)
       RETURNING id, created_at`,
      [topic, payload, OWNED_LEASE_SECONDS],
    );

    return Object.assign(new OutboxEntry(), {
      id: String(row.id),
      topic,
      payload,
      createdAt: row.created_at,
      leaseUntil: null,
      dispatchedAt: null,
      attempts: 1,
    });
  }

  /**
   * Runs `delivery` for an entry from `addOwned` after its commit, without waiting, and marks
   * it done when it says so. A failure is logged; the lease runs out and the sweep delivers
   * the entry through its topic's handler.
   */
  deliverOwned(entry: OutboxEntry, delivery: OwnedDelivery): void {
    this.crashPoint();
    const run = async () => {
      const done = await delivery(() => this.keepLease(entry.id));
      if (done) await this.markDone([entry.id]);
    };
    run().catch((error: unknown) =>
      this.logger.error({ err: error, id: entry.id }, 'owned outbox delivery failed'),
    );
  }

  /** Hands committed entries to their handlers now. Call it after the transaction commits. */
  async dispatch(entries: OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    this.crashPoint();
    const claimed = await this.claim(entries.map((entry) => entry.id));
    await this.markSent(await this.deliver(claimed));
  }

  /**
   * Hands committed entries to their handlers without claiming them: the caller wrote them
   * already leased to this process (`lease_until` = commit time + {@link OUTBOX_LEASE_SECONDS},
   * `attempts` = 1, and `leaseUntil` as written), which saves a statement on the hot path; and
   * they are marked sent together with the other rows delivered within a few milliseconds. If
   * this process dies before marking them sent, their lease runs out and the sweep of any
   * process delivers them again.
   */
  async dispatchOwned(entries: OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    this.crashPoint();
    // A row that waited too long here may be near the end of its lease: claim it first.
    const safeUntil = Date.now() + OWNED_MARGIN_MS;
    const owned = (entry: OutboxEntry) => (entry.leaseUntil?.getTime() ?? 0) > safeUntil;
    const fresh = entries.filter(owned);
    const stale = entries.filter((entry) => !owned(entry));
    const claimed = stale.length > 0 ? await this.claim(stale.map((entry) => entry.id)) : [];
    const done = await this.deliver([...fresh, ...claimed].sort(byId));
    this.sentMarks.add(done);
  }

  /**
   * Starts handing committed entries to their handlers without waiting: the caller answers its
   * client at the commit. A failure is logged; the row stays and the sweep delivers it.
   */
  dispatchInBackground(entries: OutboxEntry[]): void {
    this.dispatch(entries).catch((error: unknown) =>
      this.logger.error({ err: error }, 'outbox dispatch failed; the sweep will retry'),
    );
  }

  /** Recovers before the server listens, so a reconnecting client never races the sweep. */
  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.sweeping;
    await this.sentMarks.flush();
  }

  /** Delivers every pending row whose lease is free: at start, and as crash recovery. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = undefined));

    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    try {
      for (;;) {
        const claimed = await this.claim(undefined);
        if (claimed.length === 0) return;
        this.logger.warn({ count: claimed.length }, 'recovering undelivered outbox events');
        await this.markSent(await this.deliver(claimed));
        if (claimed.length < SWEEP_BATCH) return;
      }
    } catch (error) {
      this.logger.error({ err: error }, 'outbox sweep failed; it will run again');
    }
  }

  private crashPoint(): void {
    if (this.config.failpoints.includes('outbox.crash-before-dispatch')) {
      // A test's stand-in for a power cut between the commit and the fan-out.
      process.kill(process.pid, 'SIGKILL');
    }
  }

  /**
   * Extends an owned entry's lease to a full one, unless the sweep claimed it meanwhile
   * (which counts an attempt): then the sweep delivers it and the owner must stop.
   */
  private async keepLease(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE outbox SET lease_until = now() + make_interval(secs => $2)
        WHERE id = $1 AND attempts = 1 AND dispatched_at IS NULL
        RETURNING id`,
      [id, LEASE_SECONDS],
    );
    const updated = rows[0] && Array.isArray(rows[0]) ? rows[0] : rows;

    return updated.length > 0;
  }

  private async markDone(ids: string[]): Promise<void> {
    await this.dataSource.query(
      'UPDATE outbox SET dispatched_at = now(), lease_until = NULL WHERE id = ANY($1::bigint[])',
      [ids],
    );
  }

  private async claim(ids: string[] | undefined): Promise<OutboxEntry[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `UPDATE outbox SET lease_until = now() + make_interval(secs => $1), attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM outbox
           WHERE dispatched_at IS NULL AND (lease_until IS NULL OR lease_until < now())
             AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
           ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, topic, payload, created_at, attempts`,
      [LEASE_SECONDS, ids ?? null, ids ? ids.length : SWEEP_BATCH],
    );
    const entries =
      rows[0] && Array.isArray(rows[0]) ? (rows[0] as Record<string, unknown>[]) : rows;

    return entries
      .map((row) =>
        Object.assign(new OutboxEntry(), {
          id: String(row.id),
          topic: row.topic as string,
          payload: row.payload as Record<string, unknown>,
          createdAt: row.created_at as Date,
          attempts: row.attempts as number,
        }),
      )
      .sort(byId);
  }

  /** Runs each entry's handler; the ids of those that succeeded. */
  private async deliver(entries: OutboxEntry[]): Promise<string[]> {
    const done: string[] = [];
    for (const entry of entries) {
      const handler = this.handlers.get(entry.topic);
      if (!handler) {
        this.logger.error({ topic: entry.topic, id: entry.id }, 'no handler for outbox topic');
        continue;
      }
      try {
        await handler(entry.payload, entry);
        done.push(entry.id);
      } catch (error) {
        // The lease expires and the sweep tries again.
        this.logger.error(
          { err: error, topic: entry.topic, id: entry.id },
          'outbox handler failed',
        );
      }
    }

    return done;
  }

  private async markSent(done: string[]): Promise<void> {
    if (done.length === 0) return;

    await this.markDone(done);
  }
}

const byId = (a: OutboxEntry, b: OutboxEntry) => Number(BigInt(a.id) - BigInt(b.id));

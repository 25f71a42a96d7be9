import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError } from '@tocsin/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { JOB_QUEUE, type AddJobOptions, type JobQueue } from '@tocsin/jobs';
import { isUUID } from 'class-validator';
import { DataSource, Repository } from 'typeorm';
import type { EndpointPolicy } from './endpoint-policy';
import type { PushUrgency } from './push-delivery.entity';
import {
  MAX_TTL_SECONDS,
  MESSAGE_TTL_SECONDS,
  pushTopic,
  ttlUntil,
  urgencyForSeverity,
} from './push-options';
import { buildPushPayload, type AlertSeverity, type PushSubjectKind } from './push-payload';
import type { CreatePushSubscriptionDto, PushSubscriptionView } from './push-subscription.dto';
import { PushSubscriptionEntity } from './push-subscription.entity';
import { PUSH_ENDPOINT_POLICY, PUSH_SEND_JOB, type PushSendJob } from './push.tokens';
import { assertSubscriptionKeys } from './subscription-keys';

/**
 * Users whose deliveries are written and queued together: small enough that the first pushes
 * leave within milliseconds of the call, large enough that a 10k fan-out is forty statements.
 */
const NOTIFY_CHUNK = 256;

/** A user keeps at most this many devices; subscribing one more drops the least used. */
export const MAX_SUBSCRIPTIONS_PER_USER = 20;

export interface PushSubject {
  kind: PushSubjectKind;
  id: string;
}

export interface NotifyOptions {
  subject: PushSubject;
  ttlSeconds: number;
  urgency: PushUrgency;
  /** At most 32 base64url characters; see {@link pushTopic}. */
  topic?: string;
  /** An id of the triggering event (an outbox row): calling again with it sends nothing new. */
  eventId?: string;
}

export interface NotifyContent {
  /** The payload's `id`: the alert, or the conversation of a message. */
  id: string;
  severity?: AlertSeverity;
  headline: string;
  body?: string;
  url: string;
}

export interface PushFigures {
  sent: number;
  failed: number;
  removed: number;
  pending: number;
  medianMsToAccepted: number | null;
  maxMsToAccepted: number | null;
}

/**
 * Web Push for the rest of Tocsin: devices' subscriptions, and notifications to users. A
 * notification is stored with one delivery row per device, then one job per delivery sends
 * it (see PushWorker); nothing is sent inside the caller's transaction.
 */
@Injectable()
export class PushService {
  private readonly logger = new Logger(PushService.name);

  constructor(
    @InjectRepository(PushSubscriptionEntity)
    private readonly subscriptions: Repository<PushSubscriptionEntity>,
    private readonly dataSource: DataSource,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(PUSH_ENDPOINT_POLICY) private readonly policy: EndpointPolicy,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Stores a device for `userId` after checking its endpoint (https, an allowed push service,
   * public addresses) and keys. An endpoint already known replaces its row, whoever owned it.
   */
  async subscribe(
    userId: string,
    dto: CreatePushSubscriptionDto,
    userAgent?: string,
  ): Promise<PushSubscriptionView> {
    assertUuid(userId, 'userId');
    assertSubscriptionKeys(dto.keys ?? { p256dh: undefined, auth: undefined });
    await this.policy.check(dto.endpoint);
    const expiresAt = typeof dto.expirationTime === 'number' ? new Date(dto.expirationTime) : null;

    const saved = await this.dataSource.transaction(async (manager) => {
      // Another user's row for this endpoint goes: the device now belongs to this user.
      await manager.query('DELETE FROM push_subscriptions WHERE endpoint = $1 AND user_id <> $2', [
        dto.endpoint,
        userId,
      ]);
      const [row] = (await manager.query(
        `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, expires_at, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (endpoint) DO UPDATE SET
           user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,
           expires_at = EXCLUDED.expires_at, user_agent = EXCLUDED.user_agent,
           created_at = now(), last_success_at = NULL, last_failure_at = NULL,
           success_count = 0, failure_count = 0
         RETURNING id`,
        [userId, dto.endpoint, dto.keys.p256dh, dto.keys.auth, expiresAt, clip(userAgent, 512)],
      )) as Array<{ id: string }>;
      await manager.query(
        `DELETE FROM push_subscriptions WHERE id IN (
           SELECT id FROM push_subscriptions WHERE user_id = $1
            ORDER BY coalesce(last_success_at, created_at) DESC OFFSET $2)`,
        [userId, MAX_SUBSCRIPTIONS_PER_USER],
      );

      return manager.findOneByOrFail(PushSubscriptionEntity, { id: row.id });
    });
    this.logger.log({ userId, subscriptionId: saved.id }, 'push subscription stored');

    return toView(saved);
  }

  async listOwn(userId: string): Promise<PushSubscriptionView[]> {
    assertUuid(userId, 'userId');
    const rows = await this.subscriptions.find({ where: { userId }, order: { createdAt: 'ASC' } });

    return rows.map(toView);
  }

  /** Removes one of the user's own devices; another user's id is "not found". */
  async remove(userId: string, id: string): Promise<void> {
    assertUuid(userId, 'userId');
    if (!isUUID(id)) throw notFound();
    const result = await this.subscriptions.delete({ id, userId });
    if (!result.affected) throw notFound();
  }

  /** Pushes an alert to every device of its recipients: TTL, Urgency and Topic from the alert. */
  async notifyAlert(
    userIds: string[],
    alert: {
      id: string;
      severity?: AlertSeverity;
      headline: string;
      summary?: string;
      expires?: Date;
      eventId?: string;
    },
  ) {
    return this.notifyUsers(
      userIds,
      {
        id: alert.id,
        severity: alert.severity,
        headline: alert.headline,
        body: alert.summary,
        url: `/alerts/${alert.id}`,
      },
      {
        subject: { kind: 'alert', id: alert.id },
        ttlSeconds: ttlUntil(alert.expires),
        urgency: urgencyForSeverity(alert.severity),
        topic: pushTopic('alert', alert.id),
        eventId: alert.eventId,
      },
    );
  }

  /**
   * Pushes a chat message to the members who have no live socket. The realtime gateway
   * knows who is connected and passes them as `skipUserIds`; one Topic per conversation
   * collapses a burst of messages into one notification per device.
   */
  async notifyMessage(
    userIds: string[],
    message: {
      conversationId: string;
      messageId: string;
      title: string;
      text: string;
      skipUserIds?: Iterable<string>;
      eventId?: string;
    },
  ) {
    const skip = new Set(message.skipUserIds ?? []);

    return this.notifyUsers(
      userIds.filter((userId) => !skip.has(userId)),
      {
        id: message.conversationId,
        headline: message.title,
        body: message.text,
        url: `/conversations/${message.conversationId}`,
      },
      {
        subject: { kind: 'message', id: message.messageId },
        ttlSeconds: MESSAGE_TTL_SECONDS,
        urgency: 'normal',
        topic: pushTopic('conversation', message.conversationId),
        eventId: message.eventId,
      },
    );
  }

  /**
   * Stores the notification, then a delivery per device of `userIds` in chunks, each queued as
   * one job as soon as it commits: the first pushes leave while the last rows are written.
   * Returns how many devices it goes to (on a repeated event: those not sent yet).
   */
  async notifyUsers(
    userIds: string[],
    content: NotifyContent,
    options: NotifyOptions,
  ): Promise<{ notificationId: string; deliveries: number }> {
    validateNotify(userIds, content, options);
    const { json } = buildPushPayload({ kind: options.subject.kind, ...content });
    const { id: notificationId, repeated } = await this.storeNotification(json, options);

    // On a repeated event, the deliveries never claimed go again (a claim stops doubles);
    // those already claimed belong to a job, running or waiting for its retry.
    let deliveries = repeated ? await this.requeueUnclaimed(notificationId) : 0;
    const users = [...new Set(userIds)];
    for (let at = 0; at < users.length; at += NOTIFY_CHUNK) {
      const chunk = users.slice(at, at + NOTIFY_CHUNK);
      const ids = await this.insertDeliveries(notificationId, options.subject, chunk);
      await this.enqueue(ids, 0);
      deliveries += ids.length;
    }
    this.logger.log({ subject: options.subject, notificationId, deliveries }, 'push queued');

    return { notificationId, deliveries };
  }

  /**
   * Queues deliveries in jobs of {@link NOTIFY_CHUNK}; also used for retries and to resume open
   * deliveries after a restart. `attempts`: what their rows must still count to be claimed.
   */
  async enqueue(deliveryIds: string[], attempts: number, delayMs = 0): Promise<void> {
    const { attempts: tries, retryDelayMs } = this.config.push;
    const jobs: Array<{ data: PushSendJob; options: AddJobOptions }> = [];
    for (let at = 0; at < deliveryIds.length; at += NOTIFY_CHUNK) {
      const ids = deliveryIds.slice(at, at + NOTIFY_CHUNK);
      jobs.push({
        data: { deliveryIds: ids, attempts },
        // The job's own tries only cover a claim that failed (the database away): each push's
        // tries are counted on its row.
        options: {
          attempts: tries,
          backoff: { type: 'exponential', delayMs: retryDelayMs },
          delayMs,
        },
      });
    }
    await this.queue.addBulk<PushSendJob>(PUSH_SEND_JOB, jobs);
  }

  /** The notification row, or the one an earlier call with the same eventId stored. */
  private async storeNotification(
    json: string,
    options: NotifyOptions,
  ): Promise<{ id: string; repeated: boolean }> {
    const [created] = (await this.dataSource.query(
      `INSERT INTO push_notifications
         (subject_kind, subject_id, event_id, payload, ttl_seconds, urgency, topic)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (event_id) DO NOTHING RETURNING id`,
      [
        options.subject.kind,
        options.subject.id,
        options.eventId ?? null,
        json,
        options.ttlSeconds,
        options.urgency,
        options.topic ?? null,
      ],
    )) as Array<{ id: string }>;
    if (created) return { id: created.id, repeated: false };

    const [earlier] = (await this.dataSource.query(
      'SELECT id FROM push_notifications WHERE event_id = $1',
      [options.eventId],
    )) as Array<{ id: string }>;

    return { id: earlier.id, repeated: true };
  }

  /** One statement, so one commit: the rows of a chunk of users' devices, new ones only. */
  private async insertDeliveries(
    notificationId: string,
    subject: PushSubject,
    userIds: string[],
  ): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `INSERT INTO push_deliveries (notification_id, subject_kind, subject_id, subscription_id,
                                    user_id)
       SELECT $1, $2, $3, s.id, s.user_id FROM push_subscriptions s
        WHERE s.user_id = ANY($4::uuid[]) AND (s.expires_at IS NULL OR s.expires_at > now())
       ON CONFLICT (notification_id, subscription_id) DO NOTHING
       RETURNING id`,
      [notificationId, subject.kind, subject.id, userIds],
    )) as Array<{ id: string }>;

    return rows.map((row) => row.id);
  }

  private async requeueUnclaimed(notificationId: string): Promise<number> {
    const open = (await this.dataSource.query(
      `SELECT id FROM push_deliveries
        WHERE notification_id = $1 AND status = 'pending' AND attempts = 0`,
      [notificationId],
    )) as Array<{ id: string }>;
    await this.enqueue(
      open.map((row) => row.id),
      0,
    );

    return open.length;
  }

  /** Delivery figures for an alert or a message: outcomes and time from queued to accepted. */
  async figures(subject: PushSubject): Promise<PushFigures> {
    if (!isUUID(subject.id)) throw new DomainError('invalid', 'push.subject_invalid', 'bad id');
    const [row] = (await this.dataSource.query(
      `SELECT
         count(*) FILTER (WHERE status = 'sent')::int AS sent,
         count(*) FILTER (WHERE status = 'failed')::int AS failed,
         count(*) FILTER (WHERE status = 'removed')::int AS removed,
         count(*) FILTER (WHERE status IN ('pending', 'retrying'))::int AS pending,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS median,
         max(ms) AS max
       FROM (SELECT status, extract(epoch FROM accepted_at - enqueued_at) * 1000 AS ms
               FROM push_deliveries WHERE subject_kind = $1 AND subject_id = $2) d`,
      [subject.kind, subject.id],
    )) as Array<
      Record<'sent' | 'failed' | 'removed' | 'pending', number> & {
        median: string | number | null;
        max: string | number | null;
      }
    >;

    return {
      sent: row.sent,
      failed: row.failed,
      removed: row.removed,
      pending: row.pending,
      medianMsToAccepted: row.median === null ? null : Math.round(Number(row.median)),
      maxMsToAccepted: row.max === null ? null : Math.round(Number(row.max)),
    };
  }
}

function validateNotify(userIds: string[], content: NotifyContent, options: NotifyOptions): void {
  for (const userId of userIds) assertUuid(userId, 'userIds');
  assertUuid(options.subject.id, 'subject.id');
  assertUuid(content.id, 'id');
  if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds < 0) {
    throw new DomainError('invalid', 'push.ttl_invalid', 'ttlSeconds must be a whole number >= 0');
  }
  if (options.ttlSeconds > MAX_TTL_SECONDS) options.ttlSeconds = MAX_TTL_SECONDS;
  if (options.topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(options.topic)) {
    throw new DomainError('invalid', 'push.topic_invalid', 'topic: 1 to 32 base64url characters');
  }
}

function assertUuid(value: string, field: string): void {
  if (!isUUID(value)) {
    throw new DomainError('invalid', 'push.id_invalid', `${field} must be a UUID`);
  }
}

function notFound(): DomainError {
  return new DomainError('not_found', 'push.subscription_not_found', 'no such push subscription');
}

function clip(text: string | undefined, max: number): string | null {
  return text ? text.slice(0, max) : null;
}

function toView(row: PushSubscriptionEntity): PushSubscriptionView {
  return {
    id: row.id,
    endpointOrigin: new URL(row.endpoint).origin,
    userAgent: row.userAgent,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
    lastFailureAt: row.lastFailureAt?.toISOString() ?? null,
    successCount: row.successCount,
    failureCount: row.failureCount,
  };
}

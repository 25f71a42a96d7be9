import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AlertView } from '@tocsin/contracts';
import { OutboxService } from '@tocsin/outbox';
import { PushService } from '@tocsin/push';
import { ConnectionHooks, RealtimeService, rooms, type SocketPrincipal } from '@tocsin/realtime';
import type { Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { ALERT_EVENT_TOPIC, type AlertEventMessage } from './alert-events';
import { AlertsRepository } from './alerts.repository';
import { RecipientsRepository } from './recipients.repository';

/** How long a socket has to acknowledge a catch-up event before it counts as not delivered. */
const ACK_TIMEOUT_MS = 30_000;
/** The server-side event by which one process asks the others to deliver an alert event. */
const NODE_DELIVER_EVENT = 'tocsin:alert.deliver';
/** Acknowledgements are written in batches: one UPDATE for many sockets. */
const ACK_FLUSH_MS = 50;

/**
 * Carries committed alert events to sockets: each recipient's sockets get the event and
 * acknowledge it, which marks them delivered; the sending agency's staff get it too. A
 * socket that connects is sent every event it has not acknowledged, oldest first.
 */
@Injectable()
export class AlertDeliveryService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AlertDeliveryService.name);
  private pendingAcks: { alertId: string; userId: string; seq: number }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly realtime: RealtimeService,
    private readonly hooks: ConnectionHooks,
    private readonly alerts: AlertsRepository,
    private readonly recipients: RecipientsRepository,
    private readonly push: PushService,
  ) {}

  onModuleInit(): void {
    this.outbox.on(ALERT_EVENT_TOPIC, (payload) => this.deliver(payload as AlertEventMessage));
    this.realtime.onNodeEvent(NODE_DELIVER_EVENT, (payload) => {
      this.deliverForOtherNode(payload as AlertEventMessage).catch((error: unknown) =>
        this.logger.error({ err: error }, 'could not deliver an alert handed over by another node'),
      );
    });
    this.hooks.onConnected('alerts.catch-up', (socket, principal) =>
      this.catchUp(socket, principal),
    );
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.flushTimer);
    await this.flushAcks();
  }

  /** Records that a user's client has an alert's events up to `seq`. */
  acknowledge(alertId: string, userId: string, seq: number): void {
    this.pendingAcks.push({ alertId, userId, seq });
    this.flushTimer ??= setTimeout(() => void this.flushAcks(), ACK_FLUSH_MS);
  }

  /** The outbox handler: sockets on every process, staff, then every recipient's devices. */
  private async deliver(message: AlertEventMessage): Promise<void> {
    const event = await this.alerts.event(this.dataSource.manager, message.alertId, message.seq);
    if (!event) return;
    const joined = await this.recipientsWithJoin(message.alertId, message.userIds);

    this.realtime.toOtherNodes(NODE_DELIVER_EVENT, message);
    this.deliverToSockets(message, event, joined);
    if (!message.userIds) {
      const { agencyId } = event.payload as { agencyId: string };
      this.realtime.emitToRoom(rooms.agencyStaff(agencyId), event.name, event.payload, {
        except: joined.map(({ userId }) => rooms.user(userId)),
      });
    }

    await this.pushToDevices(message, event.name, event.payload as AlertView, joined);
  }

  /** Another process committed an alert event: its recipients connected here get it too. */
  private async deliverForOtherNode(message: AlertEventMessage): Promise<void> {
    const event = await this.alerts.event(this.dataSource.manager, message.alertId, message.seq);
    if (!event) return;
    const joined = await this.recipientsWithJoin(message.alertId, message.userIds);
    this.deliverToSockets(message, event, joined);
  }

  /**
   * One encoded broadcast per event name: people who became recipients with this event get
   * it as `alert.created` (to them it is a new alert), everyone else under its own name.
   */
  private deliverToSockets(
    message: AlertEventMessage,
    event: { name: string; payload: unknown },
    recipients: { userId: string; joinedSeq: number }[],
  ): void {
    const isNew = (r: { joinedSeq: number }) => r.joinedSeq === message.seq && message.seq > 1;
    const groups = new Map<string, string[]>();
    for (const recipient of recipients) {
      const name = isNew(recipient) ? 'alert.created' : event.name;
      groups.set(name, [...(groups.get(name) ?? []), recipient.userId]);
    }

    for (const [name, userIds] of groups) {
      this.realtime.deliverWithAcks(userIds, name, event.payload, (userId) =>
        this.acknowledge(message.alertId, userId, message.seq),
      );
    }
  }

  /** Every recipient's devices ring, even with the app closed; an update replaces its push. */
  private async pushToDevices(
    message: AlertEventMessage,
    name: string,
    alert: AlertView,
    recipients: { userId: string }[],
  ): Promise<void> {
    const userIds = recipients.map(({ userId }) => userId);
    if (userIds.length === 0) return;
    const prefix =
      name === 'alert.cancelled' ? 'Cancelled: ' : name === 'alert.updated' ? 'Update: ' : '';

    await this.push.notifyAlert(userIds, {
      id: alert.id,
      severity: alert.severity,
      headline: `${prefix}${alert.headline}`,
      summary: alert.instruction ?? alert.description ?? alert.event,
      expires: new Date(alert.expires),
      eventId: `${message.alertId}:${message.seq}:${message.userIds ? 'late' : 'all'}`,
    });
    // Only people with a device were pushed; the others rely on their sockets alone.
    await this.dataSource.query(
      `UPDATE alert_recipients r SET pushed_at = coalesce(r.pushed_at, now())
        WHERE r.alert_id = $1 AND r.user_id = ANY($2::uuid[])
          AND EXISTS (SELECT 1 FROM push_subscriptions ps WHERE ps.user_id = r.user_id)`,
      [message.alertId, userIds],
    );
  }

  private async recipientsWithJoin(alertId: string, only?: string[]) {
    const rows: { user_id: string; joined_seq: number }[] = await this.dataSource.query(
      `SELECT user_id, joined_seq FROM alert_recipients
        WHERE alert_id = $1 AND ($2::uuid[] IS NULL OR user_id = ANY($2::uuid[]))`,
      [alertId, only ?? null],
    );

    return rows.map((row) => ({ userId: row.user_id, joinedSeq: row.joined_seq }));
  }

  private async catchUp(socket: Socket, principal: SocketPrincipal): Promise<void> {
    const pending = await this.recipients.pendingFor(this.dataSource.manager, principal.userId);
    for (const event of pending) {
      socket.timeout(ACK_TIMEOUT_MS).emit(event.name, event.payload, (error: unknown) => {
        if (!error) this.acknowledge(event.alertId, principal.userId, event.seq);
      });
    }
  }

  private async flushAcks(): Promise<void> {
    this.flushTimer = undefined;
    const batch = this.pendingAcks;
    this.pendingAcks = [];
    if (batch.length === 0) return;
    try {
      await this.recipients.markDelivered(this.dataSource.manager, batch);
    } catch (error) {
      // The client will be sent these events again on its next connection: no loss.
      this.logger.warn({ err: error, count: batch.length }, 'could not record acknowledgements');
    }
  }
}

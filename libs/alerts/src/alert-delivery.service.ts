import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AlertView } from '@tocsin/contracts';
import { OutboxService } from '@tocsin/outbox';
import { PushService } from '@tocsin/push';
import { ConnectionHooks, RealtimeService, rooms, type SocketPrincipal } from '@tocsin/realtime';
import type { Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { AckBatch } from './ack-batch';
import { ALERT_EVENT_TOPIC, type AlertEventMessage } from './alert-events';
import { AlertsRepository } from './alerts.repository';
import { RecipientsRepository, type JoinGroup } from './recipients.repository';

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
  private pendingAcks = new AckBatch();
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
    this.pendingAcks.add(alertId, userId, seq);
    this.flushTimer ??= setTimeout(() => void this.flushAcks(), ACK_FLUSH_MS);
  }

  /**
   * The outbox handler: sockets on every process and staff first, then the push hand-off for
   * every recipient, which is slower (a transaction and a job per device) and must not delay
   * a socket write. Every recipient is pushed, answered on a socket or not: a phone in a
   * pocket rings although the app in the background still holds its socket.
   */
  private async deliver(message: AlertEventMessage): Promise<void> {
    const event = await this.alerts.event(this.dataSource.manager, message.alertId, message.seq);
    if (!event) return;
    const audience = await this.audience(message);

    this.realtime.toOtherNodes(NODE_DELIVER_EVENT, message);
    this.deliverToSockets(message, event, audience);
    const userIds = audience.flatMap((part) => part.userIds);
    if (!message.userIds) {
      const { agencyId } = event.payload as { agencyId: string };
      this.realtime.emitToRoom(rooms.agencyStaff(agencyId), event.name, event.payload, {
        except: userIds.map(rooms.user),
      });
    }

    await this.pushToDevices(message, event.name, event.payload as AlertView, userIds);
  }

  /** Another process committed an alert event: its recipients connected here get it too. */
  private async deliverForOtherNode(message: AlertEventMessage): Promise<void> {
    const event = await this.alerts.event(this.dataSource.manager, message.alertId, message.seq);
    if (!event) return;
    this.deliverToSockets(message, event, await this.audience(message));
  }

  /** The event's recipients, split by whether they became recipients with this event. */
  private audience(message: AlertEventMessage): Promise<JoinGroup[]> {
    return this.recipients.userIdsByJoin(
      this.dataSource.manager,
      message.alertId,
      message.seq,
      message.userIds,
    );
  }

  /**
   * One encoded broadcast per event name: people who became recipients with this event get
   * it as `alert.created` (to them it is a new alert), everyone else under its own name. One
   * acknowledgement handler serves every socket of the event.
   */
  private deliverToSockets(
    message: AlertEventMessage,
    event: { name: string; payload: unknown },
    audience: JoinGroup[],
  ): void {
    const { alertId, seq } = message;
    const onAck = (userId: string) => this.acknowledge(alertId, userId, seq);
    for (const { joinedNow, userIds } of audience) {
      const name = joinedNow && seq > 1 ? 'alert.created' : event.name;
      this.realtime.deliverWithAcks(userIds, name, event.payload, onAck);
    }
  }

  /** Every recipient's devices ring, even with the app closed; an update replaces its push. */
  private async pushToDevices(
    message: AlertEventMessage,
    name: string,
    alert: AlertView,
    userIds: string[],
  ): Promise<void> {
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
    await this.recipients.markPushed(this.dataSource.manager, message.alertId, userIds);
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
    this.pendingAcks = new AckBatch();
    if (batch.size === 0) return;
    try {
      await this.recipients.markDelivered(this.dataSource.manager, batch);
    } catch (error) {
      // The client will be sent these events again on its next connection: no loss.
      this.logger.warn({ err: error, count: batch.size }, 'could not record acknowledgements');
    }
  }
}

import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AlertView } from '@tocsin/contracts';
import { OutboxService, type OutboxEntry } from '@tocsin/outbox';
import { PushService } from '@tocsin/push';
import { ConnectionHooks, RealtimeService, rooms, type SocketPrincipal } from '@tocsin/realtime';
import type { Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { AckBatch } from './ack-batch';
import { ALERT_EVENT_TOPIC, type AlertEventMessage } from './alert-events';
import { AlertsRepository } from './alerts.repository';
import { readReceivedMarker, type ReceivedMarker } from './received-marker';
import { RecentDeliveries } from './recent-deliveries';
import { RecipientsRepository, type JoinGroup } from './recipients.repository';

/** How long a socket has to acknowledge a catch-up event before it counts as not delivered. */
const ACK_TIMEOUT_MS = 30_000;
/** The server-side event by which one process asks the others to deliver an alert event. */
const NODE_DELIVER_EVENT = 'tocsin:alert.deliver';
/** Acknowledgements are written in batches: one UPDATE for many sockets. */
const ACK_FLUSH_MS = 50;

/** An alert event as its sockets get it: its name and the alert view at its seq. */
interface DeliveredEvent {
  name: string;
  payload: unknown;
}

/** A new alert's event as its transaction committed it, with every recipient's user id. */
export interface CommittedEvent extends DeliveredEvent {
  payload: AlertView;
  userIds: string[];
}

/** What one process hands the others to deliver an event to their own sockets. */
interface NodeHandover extends DeliveredEvent {
  message: AlertEventMessage;
  groups: { joinedNow: boolean; userIds: string }[];
}

/**
 * Carries committed alert events to sockets: each recipient's sockets get the event and
 * acknowledge it, which marks them delivered; the sending agency's staff get it too. A
 * socket that connects is sent every event it has not acknowledged, oldest first.
 */
@Injectable()
export class AlertDeliveryService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AlertDeliveryService.name);
  /** So that a socket connecting while an event goes out does not get it live and caught up. */
  private readonly recent = new RecentDeliveries();
  private pendingAcks = new AckBatch();
  private flushTimer: NodeJS.Timeout | undefined;
  /** The acknowledgement UPDATE in flight: at most one, so that they never fill the pool. */
  private flushing: Promise<void> | undefined;

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
      try {
        this.deliverForOtherNode(payload as NodeHandover);
      } catch (error) {
        this.logger.error({ err: error }, 'could not deliver an alert handed over by another node');
      }
    });
    this.hooks.onOpened('alerts.joined', (socket) => this.recent.opened(socket));
    this.hooks.onConnected('alerts.catch-up', (socket, principal) =>
      this.catchUp(socket, principal),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.flushing;
    clearTimeout(this.flushTimer);
    await this.flushAcks();
  }

  /** Records that a user's client has an alert's events up to `seq`. */
  acknowledge(alertId: string, userId: string, seq: number): void {
    this.pendingAcks.add(alertId, userId, seq);
    this.scheduleFlush();
  }

  /**
   * Delivers a new alert from what its transaction holds, at the commit: no claim, no read of
   * the event or its recipients before the first socket write. Its outbox row was added owned
   * (a short lease) and is the crash backup: if this process dies first, the sweep delivers it.
   */
  deliverCommitted(entry: OutboxEntry, event: CommittedEvent): void {
    const message = entry.payload as AlertEventMessage;
    const audience: JoinGroup[] = [{ joinedNow: true, userIds: event.userIds }];

    this.outbox.deliverOwned(entry, async (keepLease) => {
      this.fanOut(message, event, audience);
      // The push hand-off is slow; past this point the row is ours for a full lease.
      if (!(await keepLease())) return false;
      await this.pushToDevices(message, event.name, event.payload, event.userIds);

      return true;
    });
  }

  /**
   * The outbox handler (updates, cancels, late recipients, the sweep): sockets on every
   * process and staff first, then the push hand-off for every recipient, which is slower (a
   * transaction and a job per device) and must not delay a socket write. Every recipient is
   * pushed, answered on a socket or not: a phone in a pocket rings although the app in the
   * background still holds its socket.
   */
  private async deliver(message: AlertEventMessage): Promise<void> {
    const event = await this.alerts.event(this.dataSource.manager, message.alertId, message.seq);
    if (!event) return;
    const audience = await this.audience(message);

    this.fanOut(message, event, audience);
    const userIds = audience.flatMap((part) => part.userIds);
    await this.pushToDevices(message, event.name, event.payload as AlertView, userIds);
  }

  /**
   * The sockets of every process, then the sending agency's staff. The other processes get
   * the event with its recipients (one comma-separated text per join group), so that they
   * write to their own sockets without reading the event and N recipient rows again.
   * Recipients who acknowledged the event already get no socket write (nor a staff copy).
   */
  private fanOut(message: AlertEventMessage, event: DeliveredEvent, audience: JoinGroup[]) {
    const live = audience.filter((part) => !part.acked);
    if (this.realtime.distributed) {
      const handover: NodeHandover = {
        message,
        name: event.name,
        payload: event.payload,
        groups: live.map((part) => ({
          joinedNow: part.joinedNow,
          userIds: part.userIds.join(','),
        })),
      };
      this.realtime.toOtherNodes(NODE_DELIVER_EVENT, handover);
    }
    this.deliverToSockets(message, event, live);
    if (!message.userIds) {
      const { agencyId } = event.payload as { agencyId: string };
      const userIds = audience.flatMap((part) => part.userIds);
      this.realtime.emitToRoom(rooms.agencyStaff(agencyId), event.name, event.payload, {
        except: userIds.map(rooms.user),
      });
    }
  }

  /** Another process committed an alert event: its recipients connected here get it too. */
  private deliverForOtherNode(handover: NodeHandover): void {
    const audience = handover.groups.map((part) => ({
      joinedNow: part.joinedNow,
      userIds: part.userIds === '' ? [] : part.userIds.split(','),
    }));
    this.deliverToSockets(handover.message, handover, audience);
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
    event: DeliveredEvent,
    audience: JoinGroup[],
  ): void {
    const { alertId, seq } = message;
    const onAck = (userId: string) => this.acknowledge(alertId, userId, seq);
    const caughtUp = this.recent.fannedOut(
      alertId,
      seq,
      audience.map((part) => part.userIds),
    );
    for (const { joinedNow, userIds } of audience) {
      const name = joinedNow && seq > 1 ? 'alert.created' : event.name;
      this.realtime.deliverWithAcks(userIds, name, event.payload, onAck, caughtUp);
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

  /**
   * Sends the user's unacknowledged events, except those the client says it has (its
   * handshake's `auth.received`): its acknowledgement may have died with a process before it
   * was written. Only this user's pending events are looked up, so a marker can suppress
   * nothing addressed to anyone else; a skipped event is recorded as delivered at its own
   * seq (never at the claimed one, which could hide later updates). Events a fan-out sent
   * this socket since it joined its rooms are skipped too: their own acknowledgement counts.
   */
  private async catchUp(socket: Socket, principal: SocketPrincipal): Promise<void> {
    const { userId } = principal;
    const marker = this.receivedMarker(socket, userId);
    const pending = await this.recipients.pendingFor(this.dataSource.manager, userId);
    for (const { alertId, seq, name, payload } of pending) {
      if (seq <= (marker.get(alertId) ?? 0)) {
        this.acknowledge(alertId, userId, seq);
        continue;
      }
      if (this.recent.gotLive(socket, userId, alertId, seq)) continue;
      this.recent.caughtUp(socket.id, alertId, seq);
      socket.timeout(ACK_TIMEOUT_MS).emit(name, payload, (error: unknown) => {
        if (!error) this.acknowledge(alertId, userId, seq);
      });
    }
  }

  /** The handshake's marker; a malformed one is ignored (everything pending is sent). */
  private receivedMarker(socket: Socket, userId: string): ReceivedMarker {
    const auth = socket.handshake.auth as { received?: unknown } | undefined;
    const reading = readReceivedMarker(auth?.received);
    if ('marker' in reading) return reading.marker;
    this.logger.warn({ userId, problem: reading.problem }, 'ignored a malformed received marker');

    return new Map();
  }

  /**
   * A flush waits for the one in flight: during a burst to thousands of sockets a new UPDATE
   * every 50 ms would pile up on the database and take the pool's connections from the
   * POSTs of the burst; the acknowledgements that arrive meanwhile go in the next batch.
   */
  private scheduleFlush(): void {
    if (this.flushTimer || this.flushing) return;
    this.flushTimer = setTimeout(() => void this.flushAcks(), ACK_FLUSH_MS);
  }

  private async flushAcks(): Promise<void> {
    this.flushTimer = undefined;
    const batch = this.pendingAcks;
    this.pendingAcks = new AckBatch();
    if (batch.size === 0) return;

    this.flushing = this.writeAcks(batch).finally(() => {
      this.flushing = undefined;
      if (this.pendingAcks.size > 0) this.scheduleFlush();
    });
    await this.flushing;
  }

  private async writeAcks(batch: AckBatch): Promise<void> {
    try {
      await this.recipients.markDelivered(this.dataSource.manager, batch);
    } catch (error) {
      // The client will be sent these events again on its next connection: no loss.
      this.logger.warn({ err: error, count: batch.size }, 'could not record acknowledgements');
    }
  }
}

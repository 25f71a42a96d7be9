import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RealtimeService, rooms } from '@tocsin/realtime';
import type { Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { ConversationStore } from './conversation-store';
import { OnlineUsers } from './online-users';

type PresenceChange =
  | { kind: 'connected'; socket: Socket; userId: string; done: () => void }
  | { kind: 'disconnected'; userId: string };

/**
 * Joins connecting sockets to their conversation rooms and tells the other members who came
 * online or went offline, with one query for all the sockets that arrived while the previous
 * query ran (a quiet server answers at once; a storm forms large batches by itself). One query
 * per connect and disconnect took the whole pool from the alerts during a 10k reconnect.
 * Changes are applied in the order they happened, batches one after the other, and whether a
 * user is online is read when a batch is applied: the last word other members get is the
 * user's state at that moment.
 */
@Injectable()
export class PresenceBatcher implements OnModuleDestroy {
  private readonly logger = new Logger(PresenceBatcher.name);
  private pending: PresenceChange[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: ConversationStore,
    private readonly online: OnlineUsers,
    private readonly realtime: RealtimeService,
  ) {}

  /** Resolves once the socket is in its conversation rooms (or has gone meanwhile). */
  connected(socket: Socket, userId: string): Promise<void> {
    return new Promise((done) => this.add({ kind: 'connected', socket, userId, done }));
  }

  /** One of the user's sockets closed; the others hear of it if it was the last one. */
  disconnected(userId: string): void {
    this.add({ kind: 'disconnected', userId });
  }

  /** What was collected is applied before the database goes away. */
  async onModuleDestroy(): Promise<void> {
    await this.flushing;
    await this.flush();
  }

  private add(change: PresenceChange): void {
    this.pending.push(change);
    this.schedule();
  }

  /** A batch waits for the one in flight, so presence holds at most one pooled connection. */
  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;

    this.flushing = this.apply(batch).finally(() => {
      this.flushing = undefined;
      if (this.pending.length > 0) this.schedule();
    });
    await this.flushing;
  }

  private async apply(batch: PresenceChange[]): Promise<void> {
    try {
      const userIds = [...new Set(batch.map((change) => change.userId))];
      const conversations = await this.store.conversationIdsOfUsers(
        this.dataSource.manager,
        userIds,
      );
      const gone = batch.filter((change) => change.kind === 'disconnected');
      const stillOnline = await this.online.onlineUserIds(gone.map((change) => change.userId));

      for (const change of batch) {
        const ids = conversations.get(change.userId) ?? [];
        if (change.kind === 'connected') await this.join(change.socket, change.userId, ids);
        else if (!stillOnline.has(change.userId)) this.announce(ids, change.userId, false);
      }
    } catch (error) {
      this.logger.warn({ err: error, count: batch.length }, 'presence update failed');
    } finally {
      for (const change of batch) if (change.kind === 'connected') change.done();
    }
  }

  /**
   * A socket that closed while the batch waited joins nothing: joining would leave its id in
   * the rooms for good (the adapter only cleans up at the disconnect, which has passed).
   */
  private async join(socket: Socket, userId: string, conversationIds: string[]): Promise<void> {
    if (!socket.connected) return;
    if (conversationIds.length > 0) await socket.join(conversationIds.map(rooms.conversation));
    this.announce(conversationIds, userId, true);
  }

  private announce(conversationIds: string[], userId: string, online: boolean): void {
    for (const conversationId of conversationIds) {
      this.realtime.emitToRoom(
        rooms.conversation(conversationId),
        'presence',
        { userId, online },
        { except: [rooms.user(userId)] },
      );
    }
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ConnectionHooks, RealtimeService, type SocketPrincipal } from '@tocsin/realtime';
import type { Socket } from 'socket.io';

/**
 * Who has a live socket on this process, counted as sockets connect and disconnect, so that a
 * delivery asks a map instead of fetching the sockets of every member's room per message.
 * With other API processes (Redis adapter) only the users not online here are asked of the
 * adapter.
 */
@Injectable()
export class OnlineUsers implements OnModuleInit {
  private readonly sockets = new Map<string, number>();

  constructor(
    private readonly hooks: ConnectionHooks,
    private readonly realtime: RealtimeService,
  ) {}

  onModuleInit(): void {
    // Counted in the turn the socket joins its user's room, before the slower connected hooks
    // (catch-up) run, so a socket is never in its room without being counted here.
    this.hooks.onOpened('messaging.online', (socket, principal) => this.opened(socket, principal));
  }

  /** Which of these users have at least one live socket on any process. */
  async onlineUserIds(userIds: string[]): Promise<Set<string>> {
    const online = new Set(userIds.filter((userId) => this.sockets.has(userId)));
    if (!this.realtime.distributed || online.size === userIds.length) return online;

    // TODO: keep the other processes' users in this map too (announced through the adapter,
    // forgotten when a process stops answering) instead of asking them per delivery.
    const elsewhere = await this.realtime.onlineUserIds(
      userIds.filter((userId) => !online.has(userId)),
    );
    for (const userId of elsewhere) online.add(userId);

    return online;
  }

  private opened(socket: Socket, principal: SocketPrincipal): void {
    if (socket.disconnected) return;

    const { userId } = principal;
    this.sockets.set(userId, (this.sockets.get(userId) ?? 0) + 1);
    // `disconnecting` runs before any `disconnect` listener, which may ask who is online.
    socket.once('disconnecting', () => this.closed(userId));
  }

  private closed(userId: string): void {
    const left = (this.sockets.get(userId) ?? 1) - 1;
    if (left > 0) this.sockets.set(userId, left);
    else this.sockets.delete(userId);
  }
}

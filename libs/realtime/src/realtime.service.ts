import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { RealtimeGateway } from './realtime.gateway';
import { rooms } from './socket-principal';

/**
 * What domain libraries use to reach sockets: by user, by room, and to move users in and out
 * of rooms. Through the Redis adapter these reach sockets on every API process.
 */
@Injectable()
export class RealtimeService {
  constructor(private readonly gateway: RealtimeGateway) {}

  /**
   * A namespace of its own on the same server (Live Help's `/livehelp`). The default
   * namespace's handshake check does not apply there: its owner installs its own middleware,
   * and its sockets never join the default namespace's rooms.
   */
  namespace(name: string): Namespace {
    if (name === '/' || !name.startsWith('/')) throw new Error(`not a separate namespace: ${name}`);

    return this.gateway.server.of(name);
  }

  emitToUsers(userIds: string[], event: string, payload: unknown): void {
    if (userIds.length === 0) return;
    this.gateway.server.to(userIds.map(rooms.user)).emit(event, payload);
  }

  emitToRoom(room: string, event: string, payload: unknown, options: { except?: string[] } = {}) {
    const target = this.gateway.server.to(room);
    (options.except?.length ? target.except(options.except) : target).emit(event, payload);
  }

  /**
   * Sends to every socket of one user and calls `onAck` once when at least one of them
   * acknowledges within `timeoutMs`. Nothing is called when the user has no socket.
   */
  emitToUserWithAck(
    userId: string,
    event: string,
    payload: unknown,
    timeoutMs: number,
    onAck: () => void,
  ): void {
    this.gateway.server
      .to(rooms.user(userId))
      .timeout(timeoutMs)
      .emit(event, payload, (_error: unknown, responses: unknown[]) => {
        if (Array.isArray(responses) && responses.length > 0) onAck();
      });
  }

  joinRoom(userIds: string[], room: string): void {
    if (userIds.length === 0) return;
    this.gateway.server.in(userIds.map(rooms.user)).socketsJoin(room);
  }

  leaveRoom(userIds: string[], room: string): void {
    if (userIds.length === 0) return;
    this.gateway.server.in(userIds.map(rooms.user)).socketsLeave(room);
  }

  /** Closes every socket of a user, on every process: logout, disable, role change. */
  disconnectUser(userId: string): void {
    this.gateway.server.in(rooms.user(userId)).disconnectSockets(true);
  }

  /** Closes the sockets opened with one session's tokens (logout, reuse of a refresh token). */
  async disconnectSession(userId: string, sessionId: string): Promise<void> {
    const sockets = await this.gateway.server.in(rooms.user(userId)).fetchSockets();
    for (const socket of sockets) {
      if ((socket.data.principal as { sessionId?: string }).sessionId === sessionId) {
        socket.disconnect(true);
      }
    }
  }

  /** Which of these users have at least one live socket on any process. */
  async onlineUserIds(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const sockets = await this.gateway.server.in(userIds.map(rooms.user)).fetchSockets();

    return new Set(sockets.map((socket) => (socket.data.principal as { userId: string }).userId));
  }
}

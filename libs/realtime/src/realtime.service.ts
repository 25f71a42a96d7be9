import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { PacketType } from 'socket.io-parser';
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
   * Sends one event to the sockets of many users on this process, encoded once, and calls
   * `onAck(userId)` the first time one of a user's sockets acknowledges it. This is the alert
   * fan-out's hot path: a per-user emit would encode and frame the payload once per user.
   * Other processes deliver to their own sockets (see {@link toOtherNodes}). Sockets whose
   * ids are in `exceptSocketIds` are left out (they have the event already).
   */
  deliverWithAcks(
    userIds: string[],
    event: string,
    payload: unknown,
    onAck: (userId: string) => void,
    exceptSocketIds: string[] = [],
  ): void {
    if (userIds.length === 0) return;
    const acked = new Set<string>();
    const packet = { type: PacketType.EVENT, data: [event, payload] };
    const userRooms = new Set<string>();
    for (const userId of userIds) userRooms.add(rooms.user(userId));
    // A socket is in a room named by its id: leaving those rooms out leaves those sockets out.
    const options = { rooms: userRooms, except: new Set(exceptSocketIds), flags: { local: true } };

    // Socket.IO calls a broadcast's ack with `this` bound to the socket that answered.
    this.gateway.server.of('/').adapter.broadcastWithAck(
      packet,
      options,
      () => undefined,
      function (this: { data?: { principal?: { userId?: string } } }) {
        const userId = this?.data?.principal?.userId;
        if (!userId || acked.has(userId)) return;
        acked.add(userId);
        onAck(userId);
      },
    );
  }

  /** Whether events must also be handed to other API processes (Redis configured). */
  get distributed(): boolean {
    return this.gateway.distributed;
  }

  /** Hands an event to the other API processes (no-op on one process). */
  toOtherNodes(event: string, payload: unknown): void {
    if (this.gateway.distributed) this.gateway.server.serverSideEmit(event, payload);
  }

  /** Handles an event another process handed over with {@link toOtherNodes}. */
  onNodeEvent(event: string, handler: (payload: unknown) => void): void {
    this.gateway.server.on(event as 'connection', handler as () => void);
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

import { Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import { REDIS_CLIENT } from '@tocsin/redis';
import type { Redis } from 'ioredis';
import type { Server, Socket } from 'socket.io';
import { ConnectionHooks } from './connection-hooks';
import {
  HandshakeRefused,
  rooms,
  SOCKET_AUTHENTICATOR,
  STAFF_ROLES,
  type SocketAuthenticator,
  type SocketPrincipal,
} from './socket-principal';

/** How long before its token expires a socket is warned to refresh (at most). */
const REFRESH_WARNING_MS = 60_000;

/**
 * The Socket.IO endpoint at `/socket.io` on the API's port. A connection needs a valid access
 * token in `auth.token` (never in the URL); each socket joins its user's and agency's rooms,
 * and is disconnected when its token expires unless it sends `auth.refresh` in time.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false, transports: ['websocket', 'polling'] })
export class RealtimeGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown
{
  private readonly logger = new Logger(RealtimeGateway.name);
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();
  private adapterClients: Redis[] = [];

  @WebSocketServer()
  server!: Server;

  /** True when events are shared with other processes through Redis. */
  get distributed(): boolean {
    return this.adapterClients.length > 0;
  }

  constructor(
    @Inject(SOCKET_AUTHENTICATOR) private readonly authenticator: SocketAuthenticator,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly hooks: ConnectionHooks,
  ) {}

  afterInit(server: Server): void {
    if (this.redis) {
      const pub = this.redis.duplicate();
      const sub = this.redis.duplicate();
      this.adapterClients = [pub, sub];
      server.adapter(createAdapter(pub, sub));
      this.logger.log('Socket.IO shares events through Redis');
    }

    server.use((socket, next) => {
      this.authenticateHandshake(socket).then(
        () => next(),
        (error: unknown) =>
          next(new Error(error instanceof HandshakeRefused ? error.message : 'unauthorized')),
      );
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    const principal = socket.data.principal as SocketPrincipal | undefined;
    if (!principal) {
      socket.disconnect(true);

      return;
    }
    const joined = [rooms.user(principal.userId), rooms.agency(principal.agencyId)];
    if (STAFF_ROLES.includes(principal.role)) joined.push(rooms.agencyStaff(principal.agencyId));
    const join = socket.join(joined);
    this.hooks.runOpened(socket, principal);
    await join;
    this.scheduleExpiry(socket, principal);
    socket.on('auth.refresh', (payload: unknown, ack?: unknown) => {
      void this.refresh(socket, payload, typeof ack === 'function' ? ack : undefined);
    });

    await this.hooks.runConnected(socket, principal);
  }

  handleDisconnect(socket: Socket): void {
    clearTimeout(this.expiryTimers.get(socket.id));
    this.expiryTimers.delete(socket.id);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
    await Promise.all(this.adapterClients.map((client) => client.quit().catch(() => undefined)));
  }

  private async authenticateHandshake(socket: Socket): Promise<void> {
    // A token in the query string ends up in proxy logs: refuse it even when it is valid.
    const query = socket.handshake.query;
    if (query.token !== undefined || query.access_token !== undefined) {
      throw new Error('token in URL');
    }
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token === '') throw new Error('no token');

    socket.data.principal = await this.authenticator.authenticate(token);
  }

  private async refresh(socket: Socket, payload: unknown, ack?: Function): Promise<void> {
    const current = socket.data.principal as SocketPrincipal;
    const token = (payload as { token?: unknown } | null)?.token;
    try {
      if (typeof token !== 'string') throw new Error('token missing');
      const next = await this.authenticator.authenticate(token);
      if (next.userId !== current.userId) throw new Error('token of another user');
      socket.data.principal = next;
      this.scheduleExpiry(socket, next);
      ack?.({ ok: true, data: { expiresAt: next.expiresAt } });
    } catch {
      ack?.({
        ok: false,
        error: { statusCode: 401, error: 'Unauthorized', message: 'the token was refused' },
      });
    }
  }

  private scheduleExpiry(socket: Socket, principal: SocketPrincipal): void {
    clearTimeout(this.expiryTimers.get(socket.id));
    const remaining = principal.expiresAt - Date.now();
    // A third of a short lifetime, so a client that refreshes is not warned again at once.
    const warnIn = Math.max(0, remaining - Math.min(REFRESH_WARNING_MS, remaining / 3));
    const timer = setTimeout(() => {
      socket.emit('auth.expiring', { expiresAt: principal.expiresAt });
      const final = setTimeout(() => socket.disconnect(true), Math.max(0, remaining - warnIn));
      final.unref();
      this.expiryTimers.set(socket.id, final);
    }, warnIn);
    timer.unref();
    this.expiryTimers.set(socket.id, timer);
  }
}

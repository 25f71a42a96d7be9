import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IdentityEvents, SocketTokenAuthenticator } from '@tocsin/identity';
import type { SocketPrincipal } from '@tocsin/realtime';
import type { Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { AbuseLimits } from './abuse-limits';
import { LiveHelpEvents, livehelpRooms } from './livehelp-events';
import { isRepresentative } from './representatives';
import { VISITOR_TOKEN_PREFIX, type VisitorPrincipal } from './visitor-token';
import { VisitorSessionsService } from './visitor-sessions.service';
import { VisitorsStore } from './visitors.store';

interface LiveHelpSocketData {
  visitor?: VisitorPrincipal;
  staff?: SocketPrincipal;
}

/**
 * The `/livehelp` namespace's own handshake: a visitor token (from the chat's site) or a
 * representative's access token, in `auth.token`. Visitors join only their own room;
 * representatives their agency's queue room, their own room and the chats they hold. The
 * default namespace's check is separate and refuses visitor tokens, so visitor traffic never
 * reaches responder rooms. Sockets close when their token expires.
 */
@Injectable()
export class LiveHelpSockets implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LiveHelpSockets.name);
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: LiveHelpEvents,
    private readonly sessions: VisitorSessionsService,
    private readonly staffTokens: SocketTokenAuthenticator,
    private readonly store: VisitorsStore,
    private readonly identity: IdentityEvents,
    private readonly limits: AbuseLimits,
  ) {}

  onApplicationBootstrap(): void {
    const namespace = this.events.namespace;
    namespace.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        () => next(new Error('unauthorized')),
      );
    });
    namespace.on('connection', (socket: Socket) => {
      void this.connected(socket).catch((error: unknown) => {
        this.logger.error({ err: error }, 'livehelp socket setup failed');
        socket.disconnect(true);
      });
    });
    const drop = (userId: string) =>
      namespace.in(livehelpRooms.representative(userId)).disconnectSockets(true);
    this.unsubscribe.push(
      this.identity.on('session.ended', ({ userId }) => drop(userId)),
      this.identity.on('user.changed', ({ userId }) => drop(userId)),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.unsubscribe) stop();
    for (const timer of this.timers.values()) clearTimeout(timer);
  }

  private async authenticate(socket: Socket): Promise<void> {
    const query = socket.handshake.query;
    if (query.token !== undefined || query.access_token !== undefined) {
      throw new Error('token in URL');
    }
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token === '') throw new Error('no token');
    const data = socket.data as LiveHelpSocketData;

    if (token.startsWith(VISITOR_TOKEN_PREFIX)) {
      await this.limits.request(socket.handshake.address);
      const visitor = await this.sessions.authenticate(token, socket.handshake.headers.origin);
      if (visitor.closed) throw new Error('chat closed');
      data.visitor = visitor;

      return;
    }
    const staff = await this.staffTokens.authenticate(token);
    if (!isRepresentative(staff.role)) throw new Error('not a representative');
    data.staff = staff;
  }

  private async connected(socket: Socket): Promise<void> {
    const { visitor, staff } = socket.data as LiveHelpSocketData;
    if (visitor) {
      await socket.join(livehelpRooms.visitor(visitor.visitorId));
      this.closeAt(socket, visitor.expiresAt);
    } else if (staff) {
      const held = await this.store.assigned(this.dataSource.manager, staff.userId);
      await socket.join([
        livehelpRooms.staff(staff.agencyId),
        livehelpRooms.representative(staff.userId),
        ...held.map((row) => livehelpRooms.chat(row.conversation_id)),
      ]);
      this.closeAt(socket, staff.expiresAt);
    } else {
      socket.disconnect(true);
    }
  }

  /** Closes the socket when its token expires; the client reconnects with a fresh one. */
  private closeAt(socket: Socket, expiresAt: number): void {
    const timer = setTimeout(() => socket.disconnect(true), Math.max(0, expiresAt - Date.now()));
    timer.unref();
    this.timers.set(socket.id, timer);
    socket.on('disconnect', () => {
      clearTimeout(this.timers.get(socket.id));
      this.timers.delete(socket.id);
    });
  }
}

import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { IdentityEvents } from '@tocsin/identity';
import { RealtimeService } from '@tocsin/realtime';

/**
 * Makes identity changes take effect on open sockets at once: an ended session closes its
 * sockets, and a disabled user or a changed role closes all of the user's sockets (a client
 * reconnects with a fresh token and is checked again).
 */
@Injectable()
export class SessionSockets implements OnModuleInit, OnModuleDestroy {
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly identity: IdentityEvents,
    private readonly realtime: RealtimeService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe.push(
      this.identity.on('session.ended', ({ userId, sessionId }) => {
        void this.realtime.disconnectSession(userId, sessionId);
      }),
      this.identity.on('user.changed', ({ userId }) => this.realtime.disconnectUser(userId)),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.unsubscribe) stop();
  }
}

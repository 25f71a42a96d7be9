import { Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import type { SocketPrincipal } from './socket-principal';

export type ConnectedHook = (socket: Socket, principal: SocketPrincipal) => Promise<void>;
export type OpenedHook = (socket: Socket, principal: SocketPrincipal) => void;

/**
 * Lets domain libraries act when a socket connects (join conversation rooms, send missed
 * alerts) without the gateway knowing about them. Hooks run in registration order.
 */
@Injectable()
export class ConnectionHooks {
  private readonly logger = new Logger(ConnectionHooks.name);
  private readonly connected: { name: string; hook: ConnectedHook }[] = [];
  private readonly opened: { name: string; hook: OpenedHook }[] = [];

  onConnected(name: string, hook: ConnectedHook): void {
    this.connected.push({ name, hook });
  }

  /**
   * A synchronous hook run in the same turn as the socket joins its user's room, before any
   * connected hook: for bookkeeping that must never lag the rooms (who is online).
   */
  onOpened(name: string, hook: OpenedHook): void {
    this.opened.push({ name, hook });
  }

  runOpened(socket: Socket, principal: SocketPrincipal): void {
    for (const { name, hook } of this.opened) {
      try {
        hook(socket, principal);
      } catch (error) {
        this.logger.error({ err: error, hook: name, userId: principal.userId }, 'open hook failed');
      }
    }
  }

  async runConnected(socket: Socket, principal: SocketPrincipal): Promise<void> {
    for (const { name, hook } of this.connected) {
      try {
        await hook(socket, principal);
      } catch (error) {
        this.logger.error(
          { err: error, hook: name, userId: principal.userId },
          'connect hook failed',
        );
      }
    }
  }
}

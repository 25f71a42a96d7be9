import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import type { UserRole } from '@tocsin/contracts';

/** The events of {@link IdentityEvents}, each emitted after its change is committed. */
export interface IdentityEventMap {
  /** A session ended (logout, refresh-token reuse, disabled user, password change). */
  'session.ended': { userId: string; sessionId: string; reason: string };
  /** A user's role or state changed; holders of their sockets should check them again. */
  'user.changed': { userId: string; agencyId: string; disabled: boolean; role: UserRole };
}

export type IdentityEventName = keyof IdentityEventMap;

/**
 * In-process source of identity changes, so that the realtime gateway can drop or re-check
 * sockets at once. Listeners run synchronously; one that throws is logged, not propagated.
 *
 * TODO: with several API processes these events stay in the process that made the change;
 * relaying them through Redis belongs with the realtime library's adapter.
 */
@Injectable()
export class IdentityEvents {
  private readonly logger = new Logger(IdentityEvents.name);
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  /** Subscribes; returns the function that unsubscribes. */
  on<E extends IdentityEventName>(
    event: E,
    listener: (payload: IdentityEventMap[E]) => void,
  ): () => void {
    const safe = (payload: IdentityEventMap[E]) => {
      try {
        listener(payload);
      } catch (error) {
        this.logger.error({ err: error, event }, 'identity event listener failed');
      }
    };
    this.emitter.on(event, safe);

    return () => this.emitter.off(event, safe);
  }

  emit<E extends IdentityEventName>(event: E, payload: IdentityEventMap[E]): void {
    this.emitter.emit(event, payload);
  }
}

import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';

export interface GroupEventMap {
  /** Emitted after the commit that added or removed members. */
  'group.members_changed': { groupId: string; added: string[]; removed: string[] };
}

export type GroupEventName = keyof GroupEventMap;

/**
 * In-process source of group changes (socket rooms, conversation membership).
 *
 * TODO: like IdentityEvents, these stay in the process that made the change; relaying them
 * between API processes belongs with the realtime library's Redis adapter.
 */
@Injectable()
export class GroupEvents {
  private readonly logger = new Logger(GroupEvents.name);
  private readonly emitter = new EventEmitter();

  on<E extends GroupEventName>(
    event: E,
    listener: (payload: GroupEventMap[E]) => void,
  ): () => void {
    const safe = (payload: GroupEventMap[E]) => {
      try {
        listener(payload);
      } catch (error) {
        this.logger.error({ err: error, event }, 'group event listener failed');
      }
    };
    this.emitter.on(event, safe);

    return () => this.emitter.off(event, safe);
  }

  emit<E extends GroupEventName>(event: E, payload: GroupEventMap[E]): void {
    this.emitter.emit(event, payload);
  }
}

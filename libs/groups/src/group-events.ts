import { Injectable, Logger } from '@nestjs/common';

export interface GroupEventMap {
  /** Emitted after the commit that added or removed members. */
  'group.members_changed': { groupId: string; added: string[]; removed: string[] };
}

export type GroupEventName = keyof GroupEventMap;

type Listener<E extends GroupEventName> = (payload: GroupEventMap[E]) => void | Promise<void>;

/**
 * In-process source of group changes (socket rooms, conversation membership). `emit` resolves
 * once every listener has finished, so the route that changed a group answers only when what
 * follows from the change holds (a member removed from the group can no longer post in its
 * conversation). A failing listener is logged, never the caller's failure.
 *
 * TODO: like IdentityEvents, these stay in the process that made the change; relaying them
 * between API processes belongs with the realtime library's Redis adapter.
 */
@Injectable()
export class GroupEvents {
  private readonly logger = new Logger(GroupEvents.name);
  // Keyed by event name; each set holds listeners of that event's payload only.
  private readonly listeners = new Map<GroupEventName, Set<Listener<never>>>();

  on<E extends GroupEventName>(event: E, listener: Listener<E>): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener<never>>();
    set.add(listener as Listener<never>);
    this.listeners.set(event, set);

    return () => set.delete(listener as Listener<never>);
  }

  async emit<E extends GroupEventName>(event: E, payload: GroupEventMap[E]): Promise<void> {
    const listeners = [...(this.listeners.get(event) ?? [])] as Listener<E>[];
    await Promise.all(
      listeners.map(async (listener) => {
        try {
          await listener(payload);
        } catch (error) {
          this.logger.error({ err: error, event }, 'group event listener failed');
        }
      }),
    );
  }
}

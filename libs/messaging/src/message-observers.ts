import { Injectable, Logger } from '@nestjs/common';
import type { ConversationKind, MessageView } from '@tocsin/contracts';
import type { MessageEventName } from './message-events';

export type MessageObserver = (event: MessageEventName, message: MessageView) => Promise<void>;

/**
 * Lets another library hear the committed message events of the conversations of one kind
 * (Live Help relays them to its visitors). Observers run after the members were reached, on
 * every outbox delivery, so they must tolerate a repeated event.
 */
@Injectable()
export class MessageObservers {
  private readonly logger = new Logger(MessageObservers.name);
  private readonly observers = new Map<ConversationKind, MessageObserver[]>();

  observe(kind: ConversationKind, observer: MessageObserver): void {
    this.observers.set(kind, [...(this.observers.get(kind) ?? []), observer]);
  }

  async notify(kind: ConversationKind, event: MessageEventName, message: MessageView) {
    for (const observer of this.observers.get(kind) ?? []) {
      try {
        await observer(event, message);
      } catch (error) {
        this.logger.error({ err: error, messageId: message.id }, 'message observer failed');
      }
    }
  }
}

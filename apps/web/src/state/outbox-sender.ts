import type { ChatEndpoints, MessageView } from '../api/chat-api';
import type { Endpoints } from '../api/endpoints';
import type { ResponseStatus } from '@tocsin/contracts';
import { ApiError } from '../api/http';
import { pending, remove, type StoredOutboxItem } from '../storage/outbox';

export interface OutboxEvents {
  responseSent(alertId: string, status: ResponseStatus): void;
  messageSent(message: MessageView, clientId: string): void;
  refused(item: StoredOutboxItem, error: ApiError): void;
}

const RETRY_MS = 15_000;

/**
 * Sends the outbox oldest first, one at a time, so that the server sees responses and
 * messages in the order they were made. Stops at the first network failure and retries
 * later; an item the server refuses (4xx) is dropped and reported, never retried forever.
 */
export class OutboxSender {
  private running: Promise<void> | null = null;
  private again = false;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly endpoints: Endpoints,
    private readonly chat: ChatEndpoints,
    private readonly events: OutboxEvents,
  ) {
    window.addEventListener('online', this.flush);
  }

  flush = (): void => {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;

      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.flush();
      }
    });
  };

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    window.removeEventListener('online', this.flush);
  }

  private async drain(): Promise<void> {
    clearTimeout(this.retry);
    for (const item of await pending()) {
      if (this.stopped) return;
      try {
        await this.send(item);
      } catch (error) {
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
          this.events.refused(item, error);
        } else {
          // Offline or a server error: keep this item and everything after it, in order.
          this.retry = setTimeout(this.flush, RETRY_MS);

          return;
        }
      }
      await remove(item.seq);
    }
  }

  private async send(item: StoredOutboxItem): Promise<void> {
    switch (item.kind) {
      case 'response':
        // The server keeps one answer per recipient, so a resend after a lost reply is harmless.
        await this.endpoints.respond(item.alertId, item.status, item.etaMinutes);
        this.events.responseSent(item.alertId, item.status);

        return;
      case 'message': {
        // The client id makes a resend after a lost reply return the stored message, not a copy.
        const message = await this.chat.send(item.conversationId, item.clientId, {
          ...(item.body === undefined ? {} : { body: item.body }),
          ...(item.location ? { location: item.location } : {}),
        });
        this.events.messageSent(message, item.clientId);

        return;
      }
    }
  }
}

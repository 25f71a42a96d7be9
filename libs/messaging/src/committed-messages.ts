import { Injectable } from '@nestjs/common';
import type { MessageView } from '@tocsin/contracts';

/** Enough for every message of a burst whose delivery has not started yet. */
const MAX_WAITING = 5_000;

/**
 * Hands a message the send just committed to its delivery in the same process, so the
 * delivery does not read back the row it was given a moment ago. Only what the statement
 * returned is kept (the same state the database holds at that rev); a delivery that finds
 * nothing here (the sweep, another process, an edit) reads the message as before.
 */
@Injectable()
export class CommittedMessages {
  private readonly waiting = new Map<string, MessageView>();

  put(message: MessageView): void {
    // Bounded: a delivery that never ran (its dispatch failed) must not keep its message.
    if (this.waiting.size >= MAX_WAITING) {
      const oldest = this.waiting.keys().next().value;
      if (oldest !== undefined) this.waiting.delete(oldest);
    }
    this.waiting.set(key(message.id, message.rev), message);
  }

  /** The committed message at that rev, once; undefined if this process does not hold it. */
  take(messageId: string, rev: number): MessageView | undefined {
    const id = key(messageId, rev);
    const message = this.waiting.get(id);
    this.waiting.delete(id);

    return message;
  }
}

const key = (messageId: string, rev: number) => `${messageId}:${rev}`;

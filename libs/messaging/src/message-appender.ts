import { Injectable } from '@nestjs/common';
import type { MessageView } from '@tocsin/contracts';
import type { OutboxEntry } from '@tocsin/outbox';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MessageContent } from './message-content';
import { MessageStore } from './message-store';

/** At most this many messages share one statement. */
const MAX_GROUP = 50;

export interface Appending {
  senderId: string;
  clientId: string;
  content: MessageContent;
}

export type Appended = { message: MessageView; entry: OutboxEntry } | undefined;

interface Waiting extends Appending {
  resolve(appended: Appended): void;
  reject(error: unknown): void;
}

/**
 * Group commit of members' messages, per conversation and per process: while one statement
 * for a conversation runs, its next messages wait here (they would wait for the conversation's
 * row lock anyway) and then go together in one statement, one commit. A message to a quiet
 * conversation goes at once. If a group cannot be decided as a whole (a refusal or a resend
 * among them), each of its messages is tried alone, so one message never decides another's
 * fate. Undefined for a message means: answer it through the transactional path.
 */
@Injectable()
export class MessageAppender {
  private readonly queues = new Map<string, Waiting[]>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: MessageStore,
  ) {}

  append(conversationId: string, appending: Appending): Promise<Appended> {
    return new Promise<Appended>((resolve, reject) => {
      const waiting = { ...appending, resolve, reject };
      const queue = this.queues.get(conversationId);
      if (queue) {
        queue.push(waiting);

        return;
      }
      // No statement running for this conversation: this one starts now.
      this.queues.set(conversationId, []);
      void this.run(conversationId, [waiting]);
    });
  }

  private async run(conversationId: string, group: Waiting[]): Promise<void> {
    try {
      await this.settle(conversationId, group);
    } finally {
      const queue = this.queues.get(conversationId) ?? [];
      if (queue.length === 0) {
        this.queues.delete(conversationId);
      } else {
        const next = queue.splice(0, MAX_GROUP);
        void this.run(conversationId, next);
      }
    }
  }

  private async settle(conversationId: string, group: Waiting[]): Promise<void> {
    const manager = this.dataSource.manager;
    try {
      const appended = await this.store.appendAsMembers(manager, conversationId, group);
      if (appended || group.length === 1) {
        group.forEach((waiting, i) => waiting.resolve(appended?.[i]));

        return;
      }
      for (const waiting of group) {
        const alone = await this.store.appendAsMembers(manager, conversationId, [waiting]);
        waiting.resolve(alone?.[0]);
      }
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    }
  }
}

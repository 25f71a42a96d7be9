import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  CatchUpPosition,
  CatchUpResult,
  MessagePage,
  MessageView,
  ReceiptEvent,
} from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import { OutboxService, type OutboxEntry } from '@tocsin/outbox';
import { RealtimeService, rooms } from '@tocsin/realtime';
import { DataSource, type EntityManager } from 'typeorm';
import { ConversationAccess } from './conversation-access';
import { ConversationStore } from './conversation-store';
import { CommittedMessages } from './committed-messages';
import { DispatchBatcher } from './dispatch-batcher';
import { MessageAppender } from './message-appender';
import { messagingErrors } from './errors';
import { parseContent, parseText, type MessageContent } from './message-content';
import { MESSAGE_EVENT_TOPIC, type MessageEventMessage } from './message-events';
import { MessageStore } from './message-store';

const PAGE_LIMIT = 200;
const CATCH_UP_LIMIT = 1000;
const CATCH_UP_CONVERSATIONS = 200;

/**
 * Sending, editing and deleting messages, reading them and catching up. Every change is one
 * transaction holding the conversation's row lock: the next seq and rev, the message, its
 * archived version and the outbox row commit together; sockets and push follow the commit.
 */
@Injectable()
export class MessagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ConversationAccess,
    private readonly conversations: ConversationStore,
    private readonly messages: MessageStore,
    private readonly outbox: OutboxService,
    private readonly realtime: RealtimeService,
    private readonly committed: CommittedMessages,
    private readonly dispatcher: DispatchBatcher,
    private readonly appender: MessageAppender,
  ) {}

  /** Sends a message; a resend with the same clientId returns the stored one unchanged. */
  async send(
    principal: Principal,
    conversationId: string,
    input: { clientId: string; body?: unknown; location?: unknown },
  ): Promise<MessageView> {
    const content = parseContent(input);

    // The common case in one statement, shared with the messages sent to the conversation at
    // the same moment; every other case (refusals, resends, incident newcomers, a racing
    // removal) is answered by the transaction below, as before.
    const appended = await this.appender.append(conversationId, {
      senderId: principal.userId,
      clientId: input.clientId,
      content,
    });
    const { message, entry } =
      appended ?? (await this.sendInTransaction(principal, conversationId, input, content));
    if (entry) {
      this.committed.put(message);
      // The sender's acknowledgement needs the commit, not the fan-out (the outbox covers that).
      this.dispatcher.add(entry);
    }

    return message;
  }

  async edit(
    principal: Principal,
    conversationId: string,
    messageId: string,
    body: unknown,
  ): Promise<MessageView> {
    const text = parseText(body) as string;

    return this.change(principal, conversationId, messageId, 'message.updated', (current) => {
      if (current.kind === 'location') {
        return { body: text, location: current.location };
      }

      return { body: text, location: null };
    });
  }

  async remove(principal: Principal, conversationId: string, messageId: string) {
    return this.change(principal, conversationId, messageId, 'message.deleted', () => null);
  }

  /** Messages after `afterSeq` that the caller may see, in their current state, by seq. */
  async list(
    principal: Principal,
    conversationId: string,
    afterSeq: number,
    limit = PAGE_LIMIT,
  ): Promise<MessagePage> {
    const manager = this.dataSource.manager;
    const { conversation, member } = await this.access.member(manager, principal, conversationId);
    const messages = await this.messages.after(manager, conversationId, {
      afterSeq: Math.max(afterSeq, member.visibleFromSeq - 1),
      sinceRev: Number.MAX_SAFE_INTEGER,
      limit: Math.min(limit, PAGE_LIMIT),
    });

    return { messages, lastSeq: conversation.lastSeq, lastRev: conversation.lastRev };
  }

  /**
   * What a reconnecting client missed, per conversation: messages after its last seq and
   * older ones edited or deleted since (after its last rev, or after the rev at which its
   * last seq was sent). Its socket is already in the rooms, so nothing falls in between.
   */
  async catchUp(
    principal: Principal,
    positions: Record<string, CatchUpPosition>,
  ): Promise<CatchUpResult> {
    const entries = Object.entries(positions);
    if (entries.length > CATCH_UP_CONVERSATIONS) {
      throw messagingErrors.invalid(
        'catch_up.too_many',
        `at most ${CATCH_UP_CONVERSATIONS} conversations at once`,
      );
    }
    const positionsOk = entries.every(
      ([id, position]) => UUID.test(id) && (isCount(position) || isSeqRev(position)),
    );
    if (!positionsOk) {
      throw messagingErrors.invalid(
        'catch_up.positions_invalid',
        'positions maps conversation ids to a last seq, or to {seq, rev}',
      );
    }
    const manager = this.dataSource.manager;
    const result: CatchUpResult = { conversations: [], refused: [] };

    for (const [conversationId, position] of entries) {
      let access;
      try {
        access = await this.access.member(manager, principal, conversationId);
      } catch {
        result.refused.push(conversationId);
        continue;
      }
      const afterSeq = typeof position === 'number' ? position : position.seq;
      const sinceRev =
        typeof position === 'number'
          ? await this.messages.revAtSeq(manager, conversationId, afterSeq)
          : position.rev;
      const messages = await this.messages.after(manager, conversationId, {
        afterSeq,
        sinceRev,
        visibleFromSeq: access.member.visibleFromSeq,
        limit: CATCH_UP_LIMIT,
      });
      result.conversations.push({
        conversationId,
        lastSeq: access.conversation.lastSeq,
        lastRev: access.conversation.lastRev,
        messages,
      });
    }

    return result;
  }

  /** Moves the caller's delivered (and, for `read`, read) position forward; members see it. */
  async receipt(
    principal: Principal,
    conversationId: string,
    seq: number,
    kind: 'read' | 'delivered',
  ): Promise<ReceiptEvent> {
    const manager = this.dataSource.manager;
    const { conversation } = await this.access.member(manager, principal, conversationId);
    const upTo = Math.min(seq, conversation.lastSeq);
    const rows = (await manager.query(
      `UPDATE conversation_members
          SET delivered_seq = GREATEST(delivered_seq, $3),
              read_seq = CASE WHEN $4 THEN GREATEST(read_seq, $3) ELSE read_seq END
        WHERE conversation_id = $1 AND user_id = $2 AND left_seq IS NULL
        RETURNING delivered_seq, read_seq`,
      [conversationId, principal.userId, upTo, kind === 'read'],
    )) as unknown[];
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as Record<string, string>[];
    if (list.length === 0) throw messagingErrors.formerMember();
    const receipt: ReceiptEvent = {
      conversationId,
      userId: principal.userId,
      deliveredSeq: Number(list[0].delivered_seq),
      readSeq: Number(list[0].read_seq),
    };
    this.realtime.emitToRoom(rooms.conversation(conversationId), 'message.receipt', receipt);

    return receipt;
  }

  private sendInTransaction(
    principal: Principal,
    conversationId: string,
    input: { clientId: string },
    content: MessageContent,
  ): Promise<{ message: MessageView; entry: OutboxEntry | undefined }> {
    return this.dataSource.transaction(async (manager) => {
      const { member } = await this.access.member(manager, principal, conversationId, true);
      const existing = await this.messages.byClientId(
        manager,
        conversationId,
        principal.userId,
        input.clientId,
      );
      if (existing) return { message: existing, entry: undefined };

      const { seq, rev } = await this.conversations.next(manager, conversationId, true);
      const id = await this.messages.insert(manager, {
        conversationId,
        seq,
        rev,
        senderId: principal.userId,
        senderAgencyId: member.agencyId,
        clientId: input.clientId,
        content,
      });
      const event: MessageEventMessage = {
        conversationId,
        messageId: id,
        event: 'message.created',
        rev,
      };
      const outboxEntry = await this.outbox.add(manager, MESSAGE_EVENT_TOPIC, event);

      return {
        message: (await this.messages.byId(manager, conversationId, id))!,
        entry: outboxEntry,
      };
    });
  }

  private async change(
    principal: Principal,
    conversationId: string,
    messageId: string,
    event: 'message.updated' | 'message.deleted',
    next: (current: MessageView) => Pick<MessageView, 'body' | 'location'> | null,
  ): Promise<MessageView> {
    const { message, entry } = await this.dataSource.transaction(async (manager) => {
      const { member } = await this.access.member(manager, principal, conversationId, true);
      const current = await this.visibleMessage(manager, conversationId, messageId, member);
      if (current.senderId !== principal.userId) throw messagingErrors.notSender();
      if (current.deletedAt) throw messagingErrors.alreadyDeleted();

      const { rev } = await this.conversations.next(manager, conversationId, false);
      await this.messages.change(manager, current, rev, next(current), principal.userId);
      const outboxEntry = await this.outbox.add(manager, MESSAGE_EVENT_TOPIC, {
        conversationId,
        messageId,
        event,
        rev,
      } satisfies MessageEventMessage);

      return {
        message: (await this.messages.byId(manager, conversationId, messageId))!,
        entry: outboxEntry,
      };
    });
    await this.outbox.dispatch([entry]);

    return message;
  }

  private async visibleMessage(
    manager: EntityManager,
    conversationId: string,
    messageId: string,
    member: { visibleFromSeq: number },
  ): Promise<MessageView> {
    const message = await this.messages.byId(manager, conversationId, messageId);
    if (!message || message.seq < member.visibleFromSeq) throw messagingErrors.messageNotFound();

    return message;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isSeqRev(value: unknown): value is { seq: number; rev: number } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const { seq, rev } = value as Record<string, unknown>;

  return keys.length === 2 && isCount(seq) && isCount(rev);
}

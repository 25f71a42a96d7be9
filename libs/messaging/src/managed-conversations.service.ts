import { Injectable } from '@nestjs/common';
import type { ConversationKind, ConversationView, MessageView } from '@tocsin/contracts';
import { OutboxService, type OutboxEntry } from '@tocsin/outbox';
import type { EntityManager } from 'typeorm';
import { ConversationStore } from './conversation-store';
import { messagingErrors } from './errors';
import { MembershipService } from './membership.service';
import { parseContent } from './message-content';
import { MESSAGE_EVENT_TOPIC, type MessageEventMessage } from './message-events';
import { MessageStore } from './message-store';

/** Someone who writes in a conversation without being a user: a Live Help visitor. */
export interface OutsideSender {
  /** The name the archive and the members see. */
  label: string;
  /** The agency whose archive (and retention) the messages belong to. */
  agencyId: string;
}

/**
 * The conversations another library runs itself (kind `livehelp`): it opens them, decides
 * who the members are, and writes the messages of an outsider, inside its own transaction.
 * Messages still take the chat's path: seq, archived version and outbox row in that
 * transaction; `dispatch` after the commit. Members use the ordinary chat routes.
 */
@Injectable()
export class ManagedConversationsService {
  constructor(
    private readonly store: ConversationStore,
    private readonly messages: MessageStore,
    private readonly membership: MembershipService,
    private readonly outbox: OutboxService,
  ) {}

  async open(
    manager: EntityManager,
    input: { kind: ConversationKind; agencyId: string; title: string },
  ): Promise<string> {
    const id = await this.store.insert(manager, { ...input, createdBy: null });

    return id!;
  }

  /** Makes users members (under the conversation's row lock); returns those added. */
  async addMembers(
    manager: EntityManager,
    conversationId: string,
    userIds: string[],
    actorId: string | null,
  ): Promise<string[]> {
    const conversation = await this.locked(manager, conversationId);

    return this.membership.add(manager, conversation, userIds, actorId);
  }

  async removeMembers(
    manager: EntityManager,
    conversationId: string,
    userIds: string[],
    actorId: string | null,
  ): Promise<string[]> {
    const conversation = await this.locked(manager, conversationId);

    return this.membership.remove(manager, conversation, userIds, actorId);
  }

  /** After the commit: moves the members' sockets in and out of the conversation's room. */
  announce(conversationId: string, added: string[], removed: string[]): void {
    this.membership.announce({ conversationId, added, removed });
  }

  /**
   * Appends an outsider's text message; a resend with the same clientId returns the stored
   * message and no outbox entry.
   */
  async appendOutside(
    manager: EntityManager,
    conversationId: string,
    sender: OutsideSender,
    input: { clientId: string; body: unknown },
  ): Promise<{ message: MessageView; entry: OutboxEntry | undefined }> {
    const content = parseContent({ body: input.body });
    await this.locked(manager, conversationId);
    const existing = await this.messages.byClientId(manager, conversationId, null, input.clientId);
    if (existing) return { message: existing, entry: undefined };

    const { seq, rev } = await this.store.next(manager, conversationId, true);
    const id = await this.messages.insert(manager, {
      conversationId,
      seq,
      rev,
      senderId: null,
      senderLabel: sender.label,
      senderAgencyId: sender.agencyId,
      clientId: input.clientId,
      content,
    });
    const event: MessageEventMessage = {
      conversationId,
      messageId: id,
      event: 'message.created',
      rev,
    };
    const entry = await this.outbox.add(manager, MESSAGE_EVENT_TOPIC, event);

    return { message: (await this.messages.byId(manager, conversationId, id))!, entry };
  }

  /** Hands committed message events to delivery; call it after the transaction commits. */
  async dispatch(entry: OutboxEntry | undefined): Promise<void> {
    if (entry) await this.outbox.dispatch([entry]);
  }

  /** Messages after `afterSeq`, by seq: what the outsider sees (everything). */
  after(manager: EntityManager, conversationId: string, afterSeq: number, limit: number) {
    return this.messages.after(manager, conversationId, {
      afterSeq,
      sinceRev: Number.MAX_SAFE_INTEGER,
      limit,
    });
  }

  async view(manager: EntityManager, conversationId: string): Promise<ConversationView> {
    const conversation = await this.store.find(manager, conversationId);
    if (!conversation) throw messagingErrors.conversationNotFound();

    return this.store.view(manager, conversation);
  }

  private async locked(manager: EntityManager, conversationId: string) {
    const conversation = await this.store.find(manager, conversationId, true);
    if (!conversation) throw messagingErrors.conversationNotFound();

    return conversation;
  }
}

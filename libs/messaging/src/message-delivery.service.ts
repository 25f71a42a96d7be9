import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MessageView } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import { OutboxService } from '@tocsin/outbox';
import { PushService } from '@tocsin/push';
import { ConnectionHooks, RealtimeService, rooms, type SocketPrincipal } from '@tocsin/realtime';
import type { Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { ConversationAccess } from './conversation-access';
import { ConversationStore } from './conversation-store';
import { MESSAGE_EVENT_TOPIC, type MessageEventMessage } from './message-events';
import { CommittedMessages } from './committed-messages';
import { MembershipCache, type ConversationAudience } from './membership-cache';
import { MessageObservers } from './message-observers';
import { MessageStore } from './message-store';
import { OnlineUsers } from './online-users';
import { PresenceBatcher } from './presence-batcher';

/**
 * Carries committed message events to the members who may see them, one user room at a
 * time (so membership at delivery decides, not room state), and pushes new messages to
 * members without a live socket. Also the ephemeral side: rooms on connect, typing, presence.
 */
@Injectable()
export class MessageDeliveryService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly realtime: RealtimeService,
    private readonly hooks: ConnectionHooks,
    private readonly push: PushService,
    private readonly store: ConversationStore,
    private readonly messages: MessageStore,
    private readonly access: ConversationAccess,
    private readonly observers: MessageObservers,
    private readonly audiences: MembershipCache,
    private readonly committed: CommittedMessages,
    private readonly online: OnlineUsers,
    private readonly presenceChanges: PresenceBatcher,
  ) {}

  onModuleInit(): void {
    this.outbox.on(MESSAGE_EVENT_TOPIC, (payload) => this.deliver(payload as MessageEventMessage));
    this.hooks.onConnected('messaging.rooms', (socket, principal) =>
      this.connected(socket, principal),
    );
  }

  /** Relays a typing indicator to the conversation's other members; nothing is stored. */
  async typing(principal: Principal, conversationId: string, typing: boolean) {
    await this.access.member(this.dataSource.manager, principal, conversationId);
    this.realtime.emitToRoom(
      rooms.conversation(conversationId),
      'typing',
      { conversationId, userId: principal.userId, typing },
      { except: [rooms.user(principal.userId)] },
    );

    return { sent: true as const };
  }

  /** Which current members have a live socket. */
  async presence(principal: Principal, conversationId: string) {
    const manager = this.dataSource.manager;
    await this.access.member(manager, principal, conversationId);
    const members = await this.store.currentMembers(manager, conversationId);
    const online = await this.online.onlineUserIds(members.map((member) => member.userId));

    return { online: [...online].sort() };
  }

  private async deliver(event: MessageEventMessage): Promise<void> {
    const manager = this.dataSource.manager;
    const message =
      this.committed.take(event.messageId, Number(event.rev)) ??
      (await this.messages.byId(manager, event.conversationId, event.messageId));
    // Gone to retention, or the conversation was deleted: nothing left to say.
    if (!message) return;
    const conversation = await this.audiences.audience(manager, event.conversationId);
    if (!conversation) return;
    const audience = conversation.members
      .filter((member) => member.visibleFromSeq <= message.seq)
      .map((member) => member.userId);

    // One broadcast to the members' user rooms, encoded once; the members of the moment
    // decide, not the sockets in the conversation's room (those follow after a change).
    // The event carries the message's current state; clients keep the highest version.
    this.realtime.emitToUsers(audience, event.event, message);
    await this.observers.notify(conversation.kind, event.event, message);
    if (event.event !== 'message.created') return;

    await this.pushToOffline(conversation, message, audience);
  }

  /** Members without a live socket get a push; with everyone online nothing is stored. */
  private async pushToOffline(
    conversation: ConversationAudience,
    message: MessageView,
    audience: string[],
  ): Promise<void> {
    const others = audience.filter((userId) => userId !== message.senderId);
    const online = await this.online.onlineUserIds(others);
    const offline = others.filter((userId) => !online.has(userId));
    if (offline.length === 0) return;

    // No body in the push: it would leave the archive's retention (push records are kept).
    await this.push.notifyMessage(offline, {
      conversationId: message.conversationId,
      messageId: message.id,
      title: conversation.title ?? 'Tocsin',
      text: `New message from ${message.senderName ?? 'a member'}`,
      eventId: `message:${message.id}`,
    });
  }

  /**
   * The disconnect is listened to before the rooms are joined: a socket that closes while its
   * batch waits is still announced offline. One that closed before this hook ran (an earlier
   * hook awaited) has no disconnect to come: its user may have been announced online by an
   * earlier socket, so the batch checks whether anyone is left.
   */
  private connected(socket: Socket, principal: SocketPrincipal): Promise<void> {
    const { userId } = principal;
    if (socket.disconnected) {
      this.presenceChanges.disconnected(userId);

      return Promise.resolve();
    }
    socket.once('disconnect', () => this.presenceChanges.disconnected(userId));

    return this.presenceChanges.connected(socket, userId);
  }
}

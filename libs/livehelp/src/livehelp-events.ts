import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LiveHelpServerEvents, MessageView, VisitorMessageView } from '@tocsin/contracts';
import { MessageObservers } from '@tocsin/messaging';
import { RealtimeService } from '@tocsin/realtime';
import type { Namespace } from 'socket.io';
import { DataSource } from 'typeorm';

export const LIVEHELP_NAMESPACE = '/livehelp';

/** Rooms of the `/livehelp` namespace; none of them exists in the default namespace. */
export const livehelpRooms = {
  visitor: (visitorId: string) => `lh-visitor:${visitorId}`,
  chat: (conversationId: string) => `lh-chat:${conversationId}`,
  staff: (agencyId: string) => `lh-staff:${agencyId}`,
  representative: (userId: string) => `lh-rep:${userId}`,
};

/**
 * Everything Live Help sends over its namespace. Chat messages come here from the chat's
 * outbox delivery (so a crash between commit and fan-out loses nothing): representatives
 * get the full message, the visitor a view without staff user ids.
 */
@Injectable()
export class LiveHelpEvents implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly realtime: RealtimeService,
    private readonly observers: MessageObservers,
  ) {}

  get namespace(): Namespace {
    return this.realtime.namespace(LIVEHELP_NAMESPACE);
  }

  onModuleInit(): void {
    this.observers.observe('livehelp', async (event, message) => {
      this.emit(livehelpRooms.chat(message.conversationId), event, message);
      const rows = (await this.dataSource.query(
        'SELECT id FROM livehelp_visitors WHERE conversation_id = $1',
        [message.conversationId],
      )) as { id: string }[];
      if (rows[0]) {
        this.emit(livehelpRooms.visitor(rows[0].id), 'livehelp.message', visitorView(message));
      }
    });
  }

  emit<E extends keyof LiveHelpServerEvents>(
    room: string,
    event: E,
    payload: LiveHelpServerEvents[E],
  ): void {
    this.namespace.to(room).emit(event, payload);
  }

  /** Representatives' sockets (on this namespace) start or stop hearing a chat. */
  follow(userIds: string[], conversationId: string, following: boolean): void {
    if (userIds.length === 0) return;
    const sockets = this.namespace.in(userIds.map(livehelpRooms.representative));
    if (following) sockets.socketsJoin(livehelpRooms.chat(conversationId));
    else sockets.socketsLeave(livehelpRooms.chat(conversationId));
  }

  /** Closes a visitor's sockets (blocked, or the chat ended). */
  disconnectVisitor(visitorId: string): void {
    this.namespace.in(livehelpRooms.visitor(visitorId)).disconnectSockets(true);
  }
}

export function visitorView(message: MessageView): VisitorMessageView {
  const fromVisitor = message.senderId === null;

  return {
    id: message.id,
    seq: message.seq,
    clientId: fromVisitor ? message.clientId : null,
    fromVisitor,
    senderName: message.senderName,
    body: message.body,
    createdAt: message.createdAt,
    editedAt: message.editedAt,
    deletedAt: message.deletedAt,
  };
}

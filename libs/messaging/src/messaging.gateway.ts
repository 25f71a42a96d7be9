import { UseInterceptors, UsePipes } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { CatchUpPosition } from '@tocsin/contracts';
import { CurrentUser, StrictValidationPipe, type Principal } from '@tocsin/http';
import { SocketAckInterceptor } from '@tocsin/realtime';
import {
  SocketCatchUpDto,
  SocketConversationDto,
  SocketDeleteDto,
  SocketEditDto,
  SocketReceiptDto,
  SocketSendDto,
  SocketTypingDto,
} from './dto/message.dto';
import { MessageDeliveryService } from './message-delivery.service';
import { MessagesService } from './messages.service';

/** Chat events clients send. Each answers `{ok, data}` or `{ok: false, error}` by its ack. */
@WebSocketGateway({ path: '/socket.io' })
@UseInterceptors(SocketAckInterceptor)
@UsePipes(new StrictValidationPipe())
export class MessagingGateway {
  constructor(
    private readonly messages: MessagesService,
    private readonly delivery: MessageDeliveryService,
  ) {}

  @SubscribeMessage('message.send')
  send(@CurrentUser() principal: Principal, @MessageBody() body: SocketSendDto) {
    const { conversationId, ...message } = body;

    return this.messages.send(principal, conversationId, message);
  }

  @SubscribeMessage('message.edit')
  edit(@CurrentUser() principal: Principal, @MessageBody() body: SocketEditDto) {
    return this.messages.edit(principal, body.conversationId, body.messageId, body.body);
  }

  @SubscribeMessage('message.delete')
  remove(@CurrentUser() principal: Principal, @MessageBody() body: SocketDeleteDto) {
    return this.messages.remove(principal, body.conversationId, body.messageId);
  }

  @SubscribeMessage('message.read')
  read(@CurrentUser() principal: Principal, @MessageBody() body: SocketReceiptDto) {
    return this.messages.receipt(principal, body.conversationId, body.seq, 'read');
  }

  @SubscribeMessage('message.delivered')
  delivered(@CurrentUser() principal: Principal, @MessageBody() body: SocketReceiptDto) {
    return this.messages.receipt(principal, body.conversationId, body.seq, 'delivered');
  }

  @SubscribeMessage('conversation.catchUp')
  catchUp(@CurrentUser() principal: Principal, @MessageBody() body: SocketCatchUpDto) {
    return this.messages.catchUp(principal, body.positions as Record<string, CatchUpPosition>);
  }

  @SubscribeMessage('typing')
  typing(@CurrentUser() principal: Principal, @MessageBody() body: SocketTypingDto) {
    return this.delivery.typing(principal, body.conversationId, body.typing);
  }

  @SubscribeMessage('presence.query')
  presence(@CurrentUser() principal: Principal, @MessageBody() body: SocketConversationDto) {
    return this.delivery.presence(principal, body.conversationId);
  }
}

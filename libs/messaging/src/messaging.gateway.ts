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
  type SocketSendDto,
  SocketTypingDto,
} from './dto/message.dto';
import { SocketSendPipe } from './dto/socket-send.pipe';
import { MessageDeliveryService } from './message-delivery.service';
import { MessagesService } from './messages.service';

const strict = new StrictValidationPipe();

/**
 * Chat events clients send. Each answers `{ok, data}` or `{ok: false, error}` by its ack.
 * Payloads are validated per event: `message.send` by its own compiled schema (the hot path),
 * the others by the DTOs' class-validator rules.
 */
@WebSocketGateway({ path: '/socket.io' })
@UseInterceptors(SocketAckInterceptor)
export class MessagingGateway {
  constructor(
    private readonly messages: MessagesService,
    private readonly delivery: MessageDeliveryService,
  ) {}

  @SubscribeMessage('message.send')
  send(
    @CurrentUser() principal: Principal,
    @MessageBody(new SocketSendPipe()) body: SocketSendDto,
  ) {
    const { conversationId, ...message } = body;

    return this.messages.send(principal, conversationId, message);
  }

  @SubscribeMessage('message.edit')
  @UsePipes(strict)
  edit(@CurrentUser() principal: Principal, @MessageBody() body: SocketEditDto) {
    return this.messages.edit(principal, body.conversationId, body.messageId, body.body);
  }

  @SubscribeMessage('message.delete')
  @UsePipes(strict)
  remove(@CurrentUser() principal: Principal, @MessageBody() body: SocketDeleteDto) {
    return this.messages.remove(principal, body.conversationId, body.messageId);
  }

  @SubscribeMessage('message.read')
  @UsePipes(strict)
  read(@CurrentUser() principal: Principal, @MessageBody() body: SocketReceiptDto) {
    return this.messages.receipt(principal, body.conversationId, body.seq, 'read');
  }

  @SubscribeMessage('message.delivered')
  @UsePipes(strict)
  delivered(@CurrentUser() principal: Principal, @MessageBody() body: SocketReceiptDto) {
    return this.messages.receipt(principal, body.conversationId, body.seq, 'delivered');
  }

  @SubscribeMessage('conversation.catchUp')
  @UsePipes(strict)
  catchUp(@CurrentUser() principal: Principal, @MessageBody() body: SocketCatchUpDto) {
    return this.messages.catchUp(principal, body.positions as Record<string, CatchUpPosition>);
  }

  @SubscribeMessage('typing')
  @UsePipes(strict)
  typing(@CurrentUser() principal: Principal, @MessageBody() body: SocketTypingDto) {
    return this.delivery.typing(principal, body.conversationId, body.typing);
  }

  @SubscribeMessage('presence.query')
  @UsePipes(strict)
  presence(@CurrentUser() principal: Principal, @MessageBody() body: SocketConversationDto) {
    return this.delivery.presence(principal, body.conversationId);
  }
}

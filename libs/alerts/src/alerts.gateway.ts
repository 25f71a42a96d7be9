import { UseInterceptors, UsePipes } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { CurrentUser, StrictValidationPipe, type Principal } from '@tocsin/http';
import { SocketAckInterceptor } from '@tocsin/realtime';
import { AlertResponsesService } from './alert-responses.service';
import { SocketAckDto, SocketRespondDto } from './dto/respond.dto';

/** Alert events clients send. Each answers through the acknowledgement callback. */
@WebSocketGateway({ path: '/socket.io' })
@UseInterceptors(SocketAckInterceptor)
@UsePipes(new StrictValidationPipe())
export class AlertsGateway {
  constructor(private readonly responses: AlertResponsesService) {}

  @SubscribeMessage('alert.respond')
  respond(@CurrentUser() principal: Principal, @MessageBody() body: SocketRespondDto) {
    return this.responses.respond(principal, body.alertId, body.status, body.etaMinutes);
  }

  @SubscribeMessage('alert.ack')
  ack(@CurrentUser() principal: Principal, @MessageBody() body: SocketAckDto) {
    return this.responses.acknowledge(principal, body.alertId, body.seq);
  }
}

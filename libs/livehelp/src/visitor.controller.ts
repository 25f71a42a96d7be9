import { Body, Controller, Get, HttpCode, Post, Query, Req, UseGuards } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiBearerAuth,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, Public } from '@tocsin/http';
import type { Request } from 'express';
import { AfterSeqQuery, StartVisitorDto, VisitorMessageDto } from './dto/visitor.dto';
import { PublicAlerts } from './public-alerts';
import type { VisitorPrincipal } from './visitor-token';
import { clientAddress, CurrentVisitor, VisitorGuard, VisitorToken } from './visitor.guard';
import { VisitorSessionsService } from './visitor-sessions.service';

/**
 * The widget's routes. Public to the staff guard; every route but the first needs the visitor
 * token. Browsers reach them only from the agency's allowed sites (CORS and Origin checks).
 */
@ApiTags('livehelp-visitor')
@Public()
@Controller('livehelp')
export class VisitorController {
  constructor(
    private readonly sessions: VisitorSessionsService,
    private readonly alerts: PublicAlerts,
  ) {}

  @Post('visitors')
  @ApiCreatedResponse({ description: 'A visitor token, the chat and its messages.' })
  @ApiErrors(...BODY_ERRORS, 403, 429)
  @ApiOperation({
    summary: 'Start a Live Help chat (visitor)',
    description:
      'No account: the page’s `Origin` must be one of the agency’s allowed sites (403 ' +
      'otherwise), the address must not be blocked, and new chats per address are limited ' +
      '(429 with `Retry-After`). Returns a short-lived visitor token, the chat and its ' +
      'messages. The chat waits in the agency’s queue until a representative accepts it.',
  })
  start(@Body() dto: StartVisitorDto, @Req() request: Request) {
    return this.sessions.start(dto, request.headers.origin, clientAddress(request));
  }

  @Post('visitor/resume')
  @HttpCode(200)
  @UseGuards(VisitorGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'The chat and its messages, with the token’s new expiry.' })
  @ApiErrors(401, 403, 409)
  @ApiOperation({
    summary: 'Resume the chat after a reload (visitor)',
    description:
      'Extends the visitor token’s life while the chat is open and returns the chat and its ' +
      'messages. A closed chat answers 409 `livehelp.closed`: it never opens again.',
  })
  resume(@CurrentVisitor() visitor: VisitorPrincipal, @VisitorToken() token: string) {
    return this.sessions.resume(visitor, token);
  }

  @Get('visitor/messages')
  @UseGuards(VisitorGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'Messages after `afterSeq`, by seq.' })
  @ApiErrors(400, 401, 403)
  @ApiOperation({
    summary: 'Messages of the visitor’s chat (visitor)',
    description: 'Messages after `afterSeq`, by seq, without the staff’s user ids.',
  })
  messages(@CurrentVisitor() visitor: VisitorPrincipal, @Query() query: AfterSeqQuery) {
    return this.sessions.messages(visitor, query.afterSeq ?? 0);
  }

  @Post('visitor/messages')
  @UseGuards(VisitorGuard)
  @ApiBearerAuth()
  @ApiCreatedResponse({ description: 'The stored message.' })
  @ApiErrors(...BODY_ERRORS, 401, 403, 409, 429)
  @ApiOperation({
    summary: 'Send a message (visitor)',
    description:
      'Text only, stored as sent and always shown as text. Too long: 413; too fast: 429 ' +
      'with `Retry-After`; after the chat closed: 409. A resend with the same `clientId` ' +
      'returns the stored message.',
  })
  send(@CurrentVisitor() visitor: VisitorPrincipal, @Body() dto: VisitorMessageDto) {
    return this.sessions.send(visitor, dto);
  }

  @Post('visitor/close')
  @HttpCode(204)
  @UseGuards(VisitorGuard)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'The chat is closed.' })
  @ApiErrors(401, 403)
  @ApiOperation({
    summary: 'End the chat (visitor)',
    description: 'The chat closes for good; the token can still read it until it expires.',
  })
  async close(@CurrentVisitor() visitor: VisitorPrincipal): Promise<void> {
    await this.sessions.leave(visitor);
  }

  @Get('visitor/alerts')
  @UseGuards(VisitorGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'The alerts, possibly none.' })
  @ApiErrors(401, 403)
  @ApiOperation({
    summary: 'Active public alerts for the site’s area (visitor)',
    description:
      'Actual, public, unexpired alerts whose area meets the agency’s Live Help area; empty ' +
      'when the agency set no area.',
  })
  activeAlerts(@CurrentVisitor() visitor: VisitorPrincipal) {
    return this.alerts.forAgency(visitor.agencyId);
  }
}

import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiBearerAuth,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, CurrentUser, type Principal } from '@tocsin/http';
import {
  BlockDto,
  PushPageDto,
  RepresentativeMessageDto,
  TransferDto,
} from './dto/representative.dto';
import { UpdateLiveHelpSettingsDto } from './dto/settings.dto';
import { RepresentativesService } from './representatives.service';
import { LiveHelpSettingsService } from './settings.service';

const uuid = new ParseUUIDPipe({ version: undefined });

/**
 * Representatives (the agency’s dispatchers and administrators) and the settings
 * (administrators). Reading a chat’s messages uses the chat routes: a representative holding
 * a chat is a member of its conversation.
 */
@ApiTags('livehelp')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('livehelp')
export class RepresentativesController {
  constructor(
    private readonly representatives: RepresentativesService,
    private readonly settings: LiveHelpSettingsService,
  ) {}

  @Get('chats')
  @ApiOkResponse({ description: '`{waiting, mine}`.' })
  @ApiOperation({
    summary: 'The queue and your chats',
    description:
      '`{waiting, mine}`: visitors waiting (longest first, with topic and waiting time) and ' +
      'the open chats you hold. Dispatchers and administrators.',
  })
  chats(@CurrentUser() principal: Principal) {
    return this.representatives.overview(principal);
  }

  @Get('representatives')
  @ApiOkResponse({ description: 'The agency’s representatives.' })
  @ApiOperation({
    summary: 'Colleagues who answer Live Help',
    description: 'The agency’s enabled dispatchers and administrators, to transfer a chat to.',
  })
  colleagues(@CurrentUser() principal: Principal) {
    return this.representatives.colleagues(principal);
  }

  @Get('canned-answers')
  @ApiOkResponse({ description: 'The agency’s prepared replies.' })
  @ApiOperation({ summary: 'Canned answers', description: 'The agency’s prepared replies.' })
  canned(@CurrentUser() principal: Principal) {
    return this.representatives.cannedAnswers(principal);
  }

  @Post('chats/:id/accept')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The chat, now held by the caller.' })
  @ApiErrors(400, 404, 409)
  @ApiOperation({
    summary: 'Accept a waiting visitor',
    description:
      'You join the chat’s conversation and hold the chat; 409 when someone else took it. ' +
      'Audited.',
  })
  accept(@CurrentUser() principal: Principal, @Param('id', uuid) id: string) {
    return this.representatives.accept(principal, id);
  }

  @Post('chats/:id/transfer')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The chat with its new holder.' })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  @ApiOperation({
    summary: 'Hand a chat to a colleague',
    description:
      'The holder (or an administrator) gives the chat to another dispatcher or ' +
      'administrator of the agency, who becomes a member; the previous holder leaves. Audited.',
  })
  transfer(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: TransferDto,
  ) {
    return this.representatives.transfer(principal, id, dto.userId);
  }

  @Post('chats/:id/close')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The closed chat.' })
  @ApiErrors(400, 404, 409)
  @ApiOperation({
    summary: 'Close a chat',
    description: 'The holder or an administrator; the visitor cannot reopen it. Audited.',
  })
  close(@CurrentUser() principal: Principal, @Param('id', uuid) id: string) {
    return this.representatives.close(principal, id);
  }

  @Post('chats/:id/block')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The closed chat and the block.' })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  @ApiOperation({
    summary: 'Block the visitor',
    description:
      'Closes the chat, ends the visitor token at once and refuses new chats from the ' +
      'visitor’s address for `minutes` (default LIVEHELP_BLOCK_MINUTES). Audited.',
  })
  block(@CurrentUser() principal: Principal, @Param('id', uuid) id: string, @Body() dto: BlockDto) {
    return this.representatives.block(principal, id, dto.minutes);
  }

  @Post('chats/:id/messages')
  @ApiCreatedResponse({ description: 'The stored message with its `seq`.' })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  @ApiOperation({
    summary: 'Answer the visitor',
    description: 'The holder sends a message (as `POST /api/conversations/:id/messages`).',
  })
  send(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: RepresentativeMessageDto,
  ) {
    return this.representatives.send(principal, id, dto);
  }

  @Post('chats/:id/push')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{url, mode, message}`: the link, how it opens, and the notice.' })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  @ApiOperation({
    summary: 'Push a page to the visitor',
    description:
      'The holder sends a link under one of the agency’s push prefixes: a notice is posted ' +
      'in the chat and the visitor’s browser opens the page (same or new tab, per the ' +
      'settings). Any other link answers 400 `livehelp.push_refused`. Audited.',
  })
  push(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: PushPageDto,
  ) {
    return this.representatives.pushPage(principal, id, dto.url);
  }

  @Get('settings')
  @ApiOkResponse({ description: 'The settings.' })
  @ApiOperation({ summary: 'Live Help settings', description: 'Administrators.' })
  getSettings(@CurrentUser() principal: Principal) {
    return this.settings.get(principal);
  }

  @Put('settings')
  @ApiOkResponse({ description: 'The settings as changed.' })
  @ApiErrors(...BODY_ERRORS)
  @ApiOperation({
    summary: 'Change the Live Help settings',
    description:
      'Administrators. Fields left out keep their value. Allowed sites are origins; push ' +
      'prefixes must lie on them. Audited.',
  })
  updateSettings(@CurrentUser() principal: Principal, @Body() dto: UpdateLiveHelpSettingsDto) {
    return this.settings.update(principal, dto);
  }
}

import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiBearerAuth,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { MESSAGE_MAX_LENGTH } from '@tocsin/contracts';
import { ApiErrors, BODY_ERRORS, CurrentUser, type Principal } from '@tocsin/http';
import { ConversationsService } from './conversations.service';
import { AddMemberDto, CreateConversationDto } from './dto/conversation.dto';
import { EditMessageDto, ListMessagesQuery, ReceiptDto, SendMessageDto } from './dto/message.dto';
import { MessagesService } from './messages.service';

const uuid = new ParseUUIDPipe({ version: undefined });

@ApiTags('conversations')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
  ) {}

  @Post()
  @ApiCreatedResponse({ description: 'The conversation, the existing one if there is one.' })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  @ApiOperation({
    summary: 'Open a conversation',
    description:
      'A group conversation (one per group, members follow the group), an incident one (one ' +
      'per alert), a direct one (one per pair, same agency, if the agency allows) or an ' +
      'interagency one (dispatchers and admins, with users of partner agencies, if every ' +
      'agency involved allows). Opening an existing group, incident or direct conversation ' +
      'returns it. The view says the conversation is archived and by which agencies.',
  })
  create(@CurrentUser() principal: Principal, @Body() dto: CreateConversationDto) {
    return this.conversations.create(principal, dto);
  }

  @Get()
  @ApiOkResponse({ description: 'The caller’s conversations with receipts and unread counts.' })
  @ApiOperation({
    summary: 'My conversations',
    description: 'Current memberships with delivered and read positions and unread counts.',
  })
  list(@CurrentUser() principal: Principal) {
    return this.conversations.list(principal);
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The conversation.' })
  @ApiErrors(400, 404)
  @ApiOperation({ summary: 'One conversation', description: 'Members only; others get 404.' })
  get(@CurrentUser() principal: Principal, @Param('id', uuid) id: string) {
    return this.conversations.get(principal, id);
  }

  @Get(':id/members')
  @ApiOkResponse({ description: 'The members with their receipts.' })
  @ApiErrors(400, 404)
  @ApiOperation({ summary: 'Current members', description: 'With their receipts. Members only.' })
  members(@CurrentUser() principal: Principal, @Param('id', uuid) id: string) {
    return this.conversations.members(principal, id);
  }

  @Post(':id/members')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The user is a member.' })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  @ApiOperation({
    summary: 'Add a member to an interagency conversation',
    description:
      "The creating agency's dispatchers and admins who are members. Group, incident and " +
      'direct conversations follow their group, alert or pair (409 / 403).',
  })
  async addMember(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: AddMemberDto,
  ) {
    await this.conversations.addMember(principal, id, dto);
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The member has left.' })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'Remove a member, or leave',
    description:
      'Takes effect at once: the member’s sockets leave the room, and nothing sent after it ' +
      'reaches them by socket, push, catch-up or the API.',
  })
  async removeMember(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Param('userId', uuid) userId: string,
  ) {
    await this.conversations.removeMember(principal, id, userId);
  }

  @Post(':id/messages')
  @ApiCreatedResponse({ description: 'The stored message with its `seq`.' })
  @ApiErrors(...BODY_ERRORS, 404)
  @ApiOperation({
    summary: 'Send a message',
    description:
      `\`{clientId, body}\` (text, 1 to ${MESSAGE_MAX_LENGTH} characters) or \`{clientId, ` +
      'location: {lat, lon, accuracy?}, body?}`. Answers the stored message with its `seq`; ' +
      'the same clientId again answers the first message. Members get `message.created`.',
  })
  send(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: SendMessageDto,
  ) {
    return this.messages.send(principal, id, dto);
  }

  @Get(':id/messages')
  @ApiOkResponse({ description: 'Messages in seq order.' })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'Messages after a seq',
    description:
      'In seq order, in their current state (deleted ones with a null body), up to `limit` ' +
      '(200). Members see what was sent since they joined, or all of it when their agency ' +
      'lets newcomers see history.',
  })
  messagesAfter(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Query() query: ListMessagesQuery,
  ) {
    return this.messages.list(principal, id, query.afterSeq ?? 0, query.limit);
  }

  @Patch(':id/messages/:messageId')
  @ApiOkResponse({ description: 'The message as edited.' })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  @ApiOperation({
    summary: 'Edit a message',
    description: 'The sender only. Members get `message.updated`; the archive keeps the old text.',
  })
  edit(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Param('messageId', uuid) messageId: string,
    @Body() dto: EditMessageDto,
  ) {
    return this.messages.edit(principal, id, messageId, dto.body);
  }

  @Delete(':id/messages/:messageId')
  @ApiOkResponse({ description: 'The message, now deleted.' })
  @ApiErrors(400, 404, 409)
  @ApiOperation({
    summary: 'Delete a message',
    description: 'The sender only. Members get `message.deleted`; the archive keeps every version.',
  })
  remove(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Param('messageId', uuid) messageId: string,
  ) {
    return this.messages.remove(principal, id, messageId);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The caller’s delivered and read positions.' })
  @ApiErrors(...BODY_ERRORS, 404)
  @ApiOperation({
    summary: 'Mark read up to a seq',
    description: 'Moves the caller’s read (and delivered) position; members get `message.receipt`.',
  })
  read(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ReceiptDto,
  ) {
    return this.messages.receipt(principal, id, dto.seq, 'read');
  }
}

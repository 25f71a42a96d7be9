import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, CurrentUser, type Principal } from '@tocsin/http';
import { ArchiveService } from './archive.service';
import { LegalHoldDto, UpdatePolicyDto } from './dto/conversation.dto';
import { ExportQuery, ListMessagesQuery } from './dto/message.dto';
import { MessagingPolicyService } from './policy.service';

const uuid = new ParseUUIDPipe({ version: undefined });

@ApiTags('archive')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller()
export class ArchiveController {
  constructor(
    private readonly archive: ArchiveService,
    private readonly policies: MessagingPolicyService,
  ) {}

  @Get('conversations/:id/export')
  @ApiOkResponse({ description: '`{manifest, jsonl, transcript}`.' })
  @ApiErrors(400, 404, 413)
  @ApiOperation({
    summary: 'Export a conversation',
    description:
      'Administrators of an agency taking part. `{manifest, jsonl, transcript}`: every ' +
      'version of every message (optionally sent within `from`..`to`) as JSON Lines and as ' +
      'a readable transcript; the manifest holds the counts and the SHA-256 of both texts. ' +
      'Audited.',
  })
  export(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Query() query: ExportQuery,
  ) {
    return this.archive.export(principal, id, {
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
    });
  }

  @Put('conversations/:id/legal-hold')
  @ApiOkResponse({ description: 'The conversation’s hold state after the change.' })
  @ApiErrors(...BODY_ERRORS, 404)
  @ApiOperation({
    summary: 'Set or lift your agency’s legal hold',
    description:
      'Administrators of an agency taking part. While any agency holds a conversation, the ' +
      'retention job deletes nothing in it. Audited.',
  })
  legalHold(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: LegalHoldDto,
  ) {
    return this.archive.setLegalHold(principal, id, dto.hold, dto.reason);
  }

  @Get('archive/conversations')
  @ApiOkResponse({ description: 'The conversations in the archive.' })
  @ApiOperation({
    summary: 'Conversations in your agency’s archive',
    description: 'Administrators: every conversation the agency created or took part in. Audited.',
  })
  list(@CurrentUser() principal: Principal) {
    return this.archive.list(principal);
  }

  @Get('archive/conversations/:id/messages')
  @ApiOkResponse({ description: 'Every version of the messages after `afterSeq`.' })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'Read a conversation from the archive',
    description:
      'Administrators, read-only: every version of every message after `afterSeq`, whatever ' +
      'the members see. Audited.',
  })
  read(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Query() query: ListMessagesQuery,
  ) {
    return this.archive.read(principal, id, query.afterSeq ?? 0);
  }

  @Get('messaging/policy')
  @ApiOkResponse({ description: 'The policy.' })
  @ApiOperation({
    summary: 'Your agency’s chat policy',
    description: 'Administrators. Direct and interagency chats, history for newcomers, retention.',
  })
  policy(@CurrentUser() principal: Principal) {
    return this.policies.get(principal);
  }

  @Put('messaging/policy')
  @ApiOkResponse({ description: 'The policy as changed.' })
  @ApiErrors(...BODY_ERRORS)
  @ApiOperation({
    summary: 'Change your agency’s chat policy',
    description:
      'Administrators. Fields left out keep their value; `retentionDays: null` keeps messages ' +
      'forever. Retention applies to messages sent by your agency’s users. Audited.',
  })
  updatePolicy(@CurrentUser() principal: Principal, @Body() dto: UpdatePolicyDto) {
    return this.policies.update(principal, dto);
  }
}

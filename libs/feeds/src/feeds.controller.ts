import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiBearerAuth,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, CurrentUser, type Principal } from '@tocsin/http';
import { CreateFeedSourceDto } from './feed-source';
import { FeedSourcesService } from './feed-sources.service';

const uuid = new ParseUUIDPipe({ version: undefined });

@ApiTags('cap')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('feeds/sources')
export class FeedsController {
  constructor(private readonly feeds: FeedSourcesService) {}

  @Post()
  @ApiCreatedResponse({ description: 'The feed and its state.' })
  @ApiErrors(...BODY_ERRORS, 409)
  @ApiOperation({
    summary: 'Ingest a CAP feed',
    description:
      'Administrators. `kind` `cap` polls one CAP document, `atom` or `rss` a feed listing ' +
      'CAP links. Polled every `intervalSeconds` with conditional requests; new alerts are ' +
      'imported for the agency and routed by area. https only, never a private or local ' +
      'address (FEED_ALLOWED_HOSTS lists exceptions). The first poll starts at once.',
  })
  create(@CurrentUser() principal: Principal, @Body() dto: CreateFeedSourceDto) {
    return this.feeds.create(principal, dto);
  }

  @Get()
  @ApiOkResponse({ description: 'The agency’s feeds with their state.' })
  @ApiOperation({
    summary: 'Feeds and their state',
    description:
      'Administrators: last poll, HTTP status, error, consecutive failures, next poll, ' +
      'ETag and Last-Modified, alerts imported.',
  })
  list(@CurrentUser() principal: Principal) {
    return this.feeds.list(principal);
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The feed and its state.' })
  @ApiErrors(400, 404)
  @ApiOperation({ summary: 'One feed and its state', description: 'Administrators.' })
  get(@CurrentUser() principal: Principal, @Param('id', uuid) id: string) {
    return this.feeds.get(principal, id);
  }

  @Post(':id/poll')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The feed’s state after the poll.' })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'Poll a feed now',
    description: 'Administrators. Answers the feed’s state after the poll.',
  })
  poll(@CurrentUser() principal: Principal, @Param('id', uuid) id: string) {
    return this.feeds.pollNow(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The feed is no longer polled.' })
  @ApiErrors(400, 404)
  @ApiOperation({ summary: 'Stop ingesting a feed', description: 'Administrators.' })
  async remove(@CurrentUser() principal: Principal, @Param('id', uuid) id: string) {
    await this.feeds.remove(principal, id);
  }
}

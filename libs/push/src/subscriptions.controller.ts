import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, CurrentUser, type Principal } from '@tocsin/http';
import { CreatePushSubscriptionDto, PushSubscriptionView } from './push-subscription.dto';
import { PushService } from './push.service';

/** The caller's own devices. A device belongs to one user; another user's id is "not found". */
@ApiTags('push')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('push/subscriptions')
export class SubscriptionsController {
  constructor(private readonly push: PushService) {}

  @Post()
  @ApiCreatedResponse({ type: PushSubscriptionView, description: 'The stored subscription.' })
  @ApiErrors(...BODY_ERRORS)
  @ApiOperation({
    summary: 'Register this device for push',
    description:
      'The browser’s `PushSubscription` JSON. The endpoint must be https on a known push ' +
      'service (or a host in PUSH_ALLOWED_HOSTS) with public addresses; keys are checked. ' +
      'An endpoint already registered moves to the caller. 400 on any problem, nothing stored.',
  })
  subscribe(
    @CurrentUser() principal: Principal,
    @Body() dto: CreatePushSubscriptionDto,
    @Headers('user-agent') userAgent?: string,
  ): Promise<PushSubscriptionView> {
    return this.push.subscribe(principal.userId, dto, userAgent);
  }

  @Get()
  @ApiOperation({ summary: 'My devices', description: 'The caller’s push subscriptions.' })
  @ApiOkResponse({ type: [PushSubscriptionView], description: 'The caller’s subscriptions.' })
  list(@CurrentUser() principal: Principal): Promise<PushSubscriptionView[]> {
    return this.push.listOwn(principal.userId);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The device is forgotten.' })
  @ApiErrors(404)
  @ApiOperation({ summary: 'Forget a device', description: '404 for another user’s device.' })
  async remove(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.push.remove(principal.userId, id);
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '@tocsin/http';
import { PushPayloadDto } from './push-payload';
import { CreatePushSubscriptionDto, PushSubscriptionView } from './push-subscription.dto';
import { VapidKeysService } from './vapid-keys.service';

class VapidPublicKeyView {
  @ApiProperty({ description: 'Base64url P-256 public key: the `applicationServerKey`' })
  publicKey!: string;
}

@ApiTags('push')
// The payload contract is listed among the schemas for the PWA's service worker.
@ApiExtraModels(PushPayloadDto, CreatePushSubscriptionDto, PushSubscriptionView)
@Controller('push')
export class VapidController {
  constructor(private readonly vapid: VapidKeysService) {}

  @Get('vapid-public-key')
  @Public()
  @ApiOperation({
    summary: "The server's VAPID public key",
    description:
      'Pass it as `applicationServerKey` to `PushManager.subscribe()`. Every push event the ' +
      'service worker then receives carries a JSON `PushPayloadDto` (see the schemas): ' +
      '`{v: 1, kind, id, severity?, headline, body, url}`, under 3000 bytes.',
  })
  @ApiOkResponse({ type: VapidPublicKeyView, description: 'The public key.' })
  async publicKey(): Promise<VapidPublicKeyView> {
    return { publicKey: await this.vapid.publicKey() };
  }
}

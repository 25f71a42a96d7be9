import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { Public } from '@tocsin/http';

class ClientConfigView {
  @ApiProperty({ description: 'XYZ tile URL template for the map, such as .../{z}/{x}/{y}.png' })
  tileUrl!: string;

  @ApiProperty({ description: 'Attribution of the tiles, plain text' })
  tileAttribution!: string;
}

@ApiTags('client')
@Controller('client-config')
export class ClientConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Settings the PWA needs before login',
    description:
      'Public: the map tile template and its attribution (`TILE_URL`, `TILE_ATTRIBUTION`). ' +
      'Nothing secret is ever added here.',
  })
  @ApiOkResponse({ type: ClientConfigView, description: 'The map settings.' })
  get(): ClientConfigView {
    return { tileUrl: this.config.map.tileUrl, tileAttribution: this.config.map.tileAttribution };
  }
}

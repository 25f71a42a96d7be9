import { Controller, Get, Header, Inject, Param, ParseUUIDPipe, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { ApiErrors, Public } from '@tocsin/http';
import type { Request } from 'express';
import { CapExportService } from './cap-export.service';
import { CAP_CONTENT_TYPE, CAP_XML } from './cap.controller';

const uuid = new ParseUUIDPipe({ version: undefined });

/** What anyone may read without logging in: active Public alerts, as Atom and CAP. */
@ApiTags('cap')
@Public()
@Controller('feeds')
export class PublicFeedController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly exporter: CapExportService,
  ) {}

  @Get('public.atom')
  @Header('Content-Type', 'application/atom+xml; charset=utf-8')
  @ApiOkResponse({
    description: 'An Atom feed of the active Public alerts.',
    content: { 'application/atom+xml': { schema: { type: 'string' } } },
  })
  @ApiOperation({
    summary: 'Public alerts (Atom)',
    description:
      'No login. One entry per active alert with scope Public, of every agency, newest ' +
      'first, each linking to its CAP 1.2 document (type application/cap+xml). Restricted ' +
      'and Private alerts never appear.',
  })
  feed(@Req() request: Request) {
    return this.exporter.publicFeed(this.baseUrl(request));
  }

  @Get('alerts/:id.cap')
  @Header('Content-Type', CAP_CONTENT_TYPE)
  @ApiOkResponse({ description: 'The CAP 1.2 document.', content: CAP_XML })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'A public alert as CAP 1.2 XML',
    description: 'No login. 404 unless the alert’s scope is Public.',
  })
  cap(@Param('id', uuid) id: string) {
    return this.exporter.exportPublic(id);
  }

  /**
   * PUBLIC_URL when set; otherwise this server on localhost. Never the request's Host header:
   * a forged one would otherwise end up in a feed that caches and aggregators keep.
   */
  private baseUrl(request: Request): string {
    return this.config.http.publicUrl ?? `http://localhost:${request.socket.localPort}`;
  }
}

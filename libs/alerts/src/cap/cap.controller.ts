import { Controller, Get, Header, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiBearerAuth,
  ApiConsumes,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CAP_MAX_BYTES, parseCap } from '@tocsin/cap';
import { DomainError } from '@tocsin/common';
import { ApiErrors, CurrentUser, type Principal, type RawBodyRoute } from '@tocsin/http';
import type { Request, Response } from 'express';
import { alertPolicy } from '../alert-policy';
import { CapExportService } from './cap-export.service';
import { capRefusal, CapImportService, type CapImportOutcome } from './cap-import.service';

const uuid = new ParseUUIDPipe({ version: undefined });
export const CAP_CONTENT_TYPE = 'application/cap+xml; charset=utf-8';
/** How the OpenAPI description shows a CAP document in an answer. */
export const CAP_XML = { 'application/cap+xml': { schema: { type: 'string' } } };

/** POST /api/cap takes the XML bytes as sent (the document names its own encoding). */
export const CAP_IMPORT_ROUTE: RawBodyRoute = {
  method: 'POST',
  path: /^\/api\/cap\/?$/,
  types: ['application/xml', 'application/cap+xml', 'text/xml'],
  limit: String(CAP_MAX_BYTES),
  as: 'buffer',
};

const STATUS: Record<CapImportOutcome, number> = {
  created: 201,
  updated: 200,
  cancelled: 200,
  duplicate: 200,
  stale: 200,
  held: 202,
};

@ApiTags('cap')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller()
export class CapController {
  constructor(
    private readonly importer: CapImportService,
    private readonly exporter: CapExportService,
  ) {}

  @Post('cap')
  @ApiConsumes('application/xml', 'application/cap+xml', 'text/xml')
  @ApiCreatedResponse({ description: 'An Alert message: the new alert, `outcome` and `warnings`.' })
  @ApiOkResponse({
    description: 'An Update, Cancel or repeated message: the alert it applied to, with `outcome`.',
  })
  @ApiAcceptedResponse({ description: 'A Cancel of an unknown alert, held for a while.' })
  @ApiErrors(400, 403, 409, 413, 415)
  @ApiOperation({
    summary: 'Import a CAP 1.2 (or 1.1) message',
    description:
      'Dispatchers and admins. The body is one CAP `<alert>` (at most 5 MiB, CAP_MAX_BYTES; ' +
      'over it 413). Alert creates an alert of the caller’s agency (201), routed to groups ' +
      'whose jurisdiction meets its area and responders located in it; Update and Cancel ' +
      'apply to the alerts they reference (200); an Update of an unknown alert is imported ' +
      'as a current alert; a Cancel of an unknown alert is held (202) for ' +
      'CAP_PENDING_CANCEL_MINUTES and applied if the original arrives. A message imported ' +
      'before answers 200 with its alert (`outcome: duplicate`). A reference to another ' +
      'agency’s alert is 403. Invalid messages are 400 with `details.errors` listing each ' +
      'problem with its element path; nothing is stored.',
  })
  async import(
    @CurrentUser() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    alertPolicy.canSend(principal);
    const body: unknown = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new DomainError('invalid', 'cap.empty', 'send one CAP <alert> as the request body', {
        errors: [{ element: 'document', message: 'the body is empty' }],
      });
    }

    const parsed = parseCap(body);
    if (!parsed.ok) throw capRefusal(parsed);
    const result = await this.importer.importCap(
      { agencyId: principal.agencyId, userId: principal.userId },
      parsed.alert,
    );
    response.status(STATUS[result.outcome]);

    return { ...result, warnings: parsed.warnings };
  }

  @Get('alerts/:id/cap')
  @Header('Content-Type', CAP_CONTENT_TYPE)
  @ApiOkResponse({ description: 'The CAP 1.2 document.', content: CAP_XML })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'An alert as CAP 1.2 XML',
    description:
      'Same visibility as GET /api/alerts/:id. An imported alert is its latest CAP message ' +
      'as received (every info and area); a native one is mapped from its fields. Times ' +
      'carry explicit offsets (UTC as -00:00), never "Z".',
  })
  exportOne(@CurrentUser() principal: Principal, @Param('id', uuid) id: string) {
    return this.exporter.exportFor(principal, id);
  }
}

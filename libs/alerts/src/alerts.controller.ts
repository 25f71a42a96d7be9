import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  ApiErrors,
  BODY_ERRORS,
  CurrentUser,
  SessionCheckedByRoute,
  signedCallerOf,
  writeJsonText,
  type Principal,
  type SignedCaller,
  type WithPrincipal,
} from '@tocsin/http';
import { AccessTokenService } from '@tocsin/identity';
import { AlertCommandsService } from './alert-commands.service';
import { AlertQueriesService } from './alert-queries.service';
import { AlertResponsesService } from './alert-responses.service';
import { CreateAlertDto } from './dto/create-alert.dto';
import { parseListAlertsQuery, type ListAlertsFilter } from './dto/list-alerts.query';
import { CancelAlertDto, RespondDto } from './dto/respond.dto';
import { UpdateAlertDto } from './dto/update-alert.dto';

const uuid = new ParseUUIDPipe({ version: undefined });

@ApiTags('alerts')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly commands: AlertCommandsService,
    private readonly queries: AlertQueriesService,
    private readonly responses: AlertResponsesService,
    private readonly accessTokens: AccessTokenService,
  ) {}

  @Post()
  @ApiCreatedResponse({ description: 'The alert sent, with `recipientCount`.' })
  @ApiOkResponse({ description: 'With `dryRun`: the recipient count and reasons; nothing stored.' })
  @ApiErrors(...BODY_ERRORS, 403)
  @ApiOperation({
    summary: 'Send an alert, or preview its recipients',
    description:
      'Dispatchers and admins. Targets members of `groupIds` (owned or joined by the agency), ' +
      'users of the agency whose last position lies in an area, and members of groups whose ' +
      'jurisdiction meets an area. With `dryRun` nothing is stored: 200 with the count and ' +
      'reasons. Otherwise 201 with the alert; recipients get `alert.created` at once.',
  })
  async send(
    @CurrentUser() principal: Principal,
    @Body() dto: CreateAlertDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.commands.send(principal, dto);
    if (!result.dryRun) return { ...result.alert, recipientCount: result.recipients };

    // A preview creates nothing, so it is not a 201.
    response.status(200);

    return result.preview;
  }

  @Get()
  @ApiErrors(400)
  @ApiOperation({
    summary: 'List alerts',
    description:
      'Alerts of the caller’s agency and alerts they received, newest first, optionally ' +
      'within a map box (`bbox=w,s,e,n`, across the antimeridian when w > e) and by state. ' +
      'An array of the same alert objects as `GET /api/alerts/{id}`, as compact JSON.',
  })
  @ApiQuery({
    name: 'bbox',
    required: false,
    description: 'west,south,east,north in degrees (at most 200 characters)',
    example: '2.2,48.8,2.5,49',
  })
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'cancelled', 'expired'] })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
  })
  @ApiOkResponse({ description: 'Alert objects, newest first.' })
  // The map asks on every pan: the session is checked in the list's own statement (one round
  // trip), and the JSON text PostgreSQL built is written as it is. @Req and @Res take no pipes.
  @SessionCheckedByRoute()
  async list(@Req() request: Request & WithPrincipal, @Res() response: Response): Promise<void> {
    const caller = signedCallerOf(request);
    const filter = await this.listQuery(request, caller);
    const { principal, body } = await this.queries.listJsonOfSession(caller, filter);
    // The request log names the user, as on routes the guard checked in full.
    request.principal = principal;
    writeJsonText(response, body);
  }

  /**
   * The list's query. A bad one is refused only after the session is known to be live, so that
   * a logged-out or temporary-password caller gets the 401 or 403 the guard would give first.
   */
  private async listQuery(request: Request, caller: SignedCaller): Promise<ListAlertsFilter> {
    try {
      return parseListAlertsQuery(request.query as Record<string, unknown>);
    } catch (error) {
      await this.accessTokens.admit(caller);
      throw error;
    }
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The alert.' })
  @ApiErrors(400, 404)
  @ApiOperation({ summary: 'One alert', description: '404 unless the caller may see it.' })
  get(@CurrentUser() principal: Principal, @Param('id', uuid) id: string) {
    return this.queries.get(principal, id);
  }

  @Post(':id/update')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The new version of the alert.' })
  @ApiErrors(...BODY_ERRORS, 403, 404, 409)
  @ApiOperation({
    summary: 'Update an active alert',
    description:
      'The sending agency’s dispatchers and admins. A new version referencing the previous ' +
      'one; recipients get `alert.updated`, and people newly in the area `alert.created`.',
  })
  update(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateAlertDto,
  ) {
    return this.commands.update(principal, id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The cancelled alert.' })
  @ApiErrors(...BODY_ERRORS, 403, 404, 409)
  @ApiOperation({
    summary: 'Cancel an active alert',
    description: 'The sending agency’s dispatchers and admins. Recipients get `alert.cancelled`.',
  })
  @ApiBody({ type: CancelAlertDto, required: false, description: 'May be left out.' })
  cancel(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: CancelAlertDto,
  ) {
    return this.commands.cancel(principal, id, dto.reason);
  }

  @Post(':id/responses')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The caller’s answer as recorded.' })
  @ApiErrors(...BODY_ERRORS, 403, 404, 409)
  @ApiOperation({
    summary: 'Answer an alert',
    description:
      'Recipients only: acknowledged, responding (with etaMinutes), on_scene or unavailable; ' +
      'can be changed. The sending agency’s staff get `alert.response` with the new tally.',
  })
  respond(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: RespondDto,
  ) {
    return this.responses.respond(principal, id, dto.status, dto.etaMinutes);
  }

  @Get(':id/recipients')
  @ApiOkResponse({ description: 'Each recipient with their answer.' })
  @ApiErrors(400, 403, 404)
  @ApiOperation({
    summary: 'Recipients and their answers',
    description: 'The sending agency’s dispatchers, admins and observers.',
  })
  recipients(@CurrentUser() principal: Principal, @Param('id', uuid) id: string) {
    return this.queries.recipientsOf(principal, id);
  }
}

import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AgencyView, CreatedUserView, UserView } from '@tocsin/contracts';
import { ApiErrors, BODY_ERRORS, CurrentUser, type Principal } from '@tocsin/http';
import { AgenciesService } from './agencies.service';
import { CreateAgencyDto, CreateUserDto } from './identity.dto';
import { UsersService } from './users.service';

@ApiTags('agencies')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('agencies')
export class AgenciesController {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly users: UsersService,
  ) {}

  @Post()
  @ApiCreatedResponse({ description: 'The new agency.' })
  @ApiErrors(...BODY_ERRORS, 409)
  @ApiOperation({
    summary: 'Create an agency',
    description: 'Platform operator only. The new agency has no users until the operator adds one.',
  })
  create(@CurrentUser() principal: Principal, @Body() body: CreateAgencyDto): Promise<AgencyView> {
    return this.agencies.create(principal, body.name);
  }

  @Get()
  @ApiOkResponse({ description: 'The agencies the caller may see.' })
  @ApiOperation({
    summary: 'List agencies',
    description: 'The platform operator sees every agency; anyone else sees their own.',
  })
  list(@CurrentUser() principal: Principal): Promise<AgencyView[]> {
    return this.agencies.list(principal);
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The agency.' })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'Get an agency',
    description: "One's own agency (the operator: any). Another agency's id answers 404.",
  })
  get(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<AgencyView> {
    return this.agencies.get(principal, id);
  }

  @Post(':id/users')
  @ApiCreatedResponse({
    description: 'The new user, with an invitation token and link when no password was given.',
  })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  @ApiOperation({
    summary: 'Create a user',
    description:
      "The agency's administrators (and the operator). With `password` the user can log in " +
      'at once and is asked to change it; without it the answer holds an invitation token ' +
      'and link, accepted through `POST /api/invitations/accept`.',
  })
  createUser(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CreateUserDto,
  ): Promise<CreatedUserView> {
    return this.users.create(principal, id, body);
  }

  @Get(':id/users')
  @ApiOkResponse({ description: "The agency's users." })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: "List an agency's users",
    description: 'Administrators and dispatchers of the agency (and the operator).',
  })
  listUsers(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<UserView[]> {
    return this.users.list(principal, id);
  }
}

import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserView } from '@tocsin/contracts';
import { ApiErrors, BODY_ERRORS, CurrentUser, type Principal } from '@tocsin/http';
import { UpdateUserDto } from './identity.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get(':id')
  @ApiOkResponse({ description: 'The user.' })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'Get a user',
    description: "Oneself, or a user of one's agency as an administrator or dispatcher.",
  })
  get(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<UserView> {
    return this.users.get(principal, id);
  }

  @Patch(':id')
  @ApiOkResponse({ description: 'The user as changed.' })
  @ApiErrors(...BODY_ERRORS, 404)
  @ApiOperation({
    summary: 'Change a user',
    description:
      'Administrators rename users and change roles in their agency. A role change applies ' +
      'to the very next request and is pushed to open sockets. Nobody changes their own role.',
  })
  update(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(principal, id, body);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The user, now disabled.' })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'Disable a user',
    description: 'Administrators only. Every session of the user ends at once, sockets included.',
  })
  disable(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<UserView> {
    return this.users.setDisabled(principal, id, true);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The user, now enabled.' })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'Enable a user',
    description: 'Administrators only. The user logs in again with their password.',
  })
  enable(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<UserView> {
    return this.users.setDisabled(principal, id, false);
  }
}

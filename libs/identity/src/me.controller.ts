import { Body, Controller, Get, HttpCode, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { MeView } from '@tocsin/contracts';
import {
  AllowTemporaryPassword,
  ApiErrors,
  BODY_ERRORS,
  CurrentUser,
  type Principal,
} from '@tocsin/http';
import { ChangePasswordDto } from './identity.dto';
import { UsersService } from './users.service';

@ApiTags('me')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @AllowTemporaryPassword()
  @ApiOkResponse({ description: 'The caller, their agency and role.' })
  @ApiOperation({
    summary: 'Who am I',
    description:
      'The caller, their agency and role. `mustChangePassword` is true after an ' +
      'administrator set the password: until it is changed, every other route answers 403 ' +
      '`password.change_required`.',
  })
  me(@CurrentUser() principal: Principal): Promise<MeView> {
    return this.users.me(principal);
  }

  @Put('password')
  @HttpCode(204)
  @AllowTemporaryPassword()
  @ApiNoContentResponse({ description: "Changed; the caller's other sessions have ended." })
  @ApiErrors(...BODY_ERRORS, 403)
  @ApiOperation({
    summary: 'Change my password',
    description:
      'Needs the current password. Every other session of the caller ends; this one stays.',
  })
  async changePassword(
    @CurrentUser() principal: Principal,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    await this.users.changeOwnPassword(principal, body.currentPassword, body.newPassword);
  }
}

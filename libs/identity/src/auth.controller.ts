import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { TokenPair } from '@tocsin/contracts';
import {
  AllowTemporaryPassword,
  ApiErrors,
  BODY_ERRORS,
  CurrentUser,
  Public,
  type Principal,
} from '@tocsin/http';
import type { Request } from 'express';
import { AuthService } from './auth.service';
import { clientContext } from './client-context';
import { AcceptInvitationDto, LoginDto, RefreshDto } from './identity.dto';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'An access token and a refresh token.' })
  @ApiErrors(...BODY_ERRORS, 401, 429)
  @ApiOperation({
    summary: 'Log in',
    description:
      'Exchanges an email and password for an access token (ES256 JWT, 15 minutes) and an ' +
      'opaque refresh token. Failed attempts are counted per account and per address; past ' +
      'the limit the answer is 429 with `Retry-After`.',
  })
  login(@Body() body: LoginDto, @Req() request: Request): Promise<TokenPair> {
    return this.auth.login(body.email, body.password, clientContext(request));
  }

  @Post('auth/refresh')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'A new access token and refresh token.' })
  @ApiErrors(...BODY_ERRORS, 401)
  @ApiOperation({
    summary: 'Rotate tokens',
    description:
      'Trades a refresh token for a new access and refresh token; the old refresh token is ' +
      'spent. Presenting a spent refresh token ends the whole session (reuse detection).',
  })
  refresh(@Body() body: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @AllowTemporaryPassword()
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'The session has ended.' })
  @ApiErrors(401)
  @ApiOperation({
    summary: 'Log out',
    description: "Ends the caller's session: its access and refresh tokens stop working at once.",
  })
  async logout(@CurrentUser() principal: Principal): Promise<void> {
    await this.auth.logout(principal);
  }

  @Post('invitations/accept')
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The password is set: the user can log in.' })
  @ApiErrors(...BODY_ERRORS)
  @ApiOperation({
    summary: 'Accept an invitation',
    description:
      'Sets the first password of an invited user from the token of the invitation link. ' +
      'The token works once and expires; the user then logs in normally.',
  })
  async acceptInvitation(@Body() body: AcceptInvitationDto): Promise<void> {
    await this.users.acceptInvitation(body.token, body.password);
  }
}

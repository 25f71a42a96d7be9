import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tocsin/audit';
import { AgenciesController } from './agencies.controller';
import { AgenciesService } from './agencies.service';
import { AuthController } from './auth.controller';
import { SocketTokenAuthenticator } from './socket-authenticator';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import {
  AgencyEntity,
  InvitationEntity,
  RefreshTokenEntity,
  SessionEntity,
  SigningKeyEntity,
  UserEntity,
} from './entities';
import { IdentityEvents } from './identity-events';
import { IdentityPolicy } from './identity.policy';
import { LoginThrottle } from './login-throttle';
import { MeController } from './me.controller';
import { OperatorBootstrap } from './operator-bootstrap';
import { Passwords } from './passwords';
import { Sessions } from './sessions';
import { AccessTokenService } from './tokens/access-token.service';
import { SigningKeys } from './tokens/signing-keys';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/**
 * Agencies, users, sessions and tokens, and the global guard that authenticates every route
 * not marked `@Public()`.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      AgencyEntity,
      UserEntity,
      SessionEntity,
      RefreshTokenEntity,
      InvitationEntity,
      SigningKeyEntity,
    ]),
    AuditModule,
  ],
  controllers: [AuthController, MeController, AgenciesController, UsersController],
  providers: [
    SigningKeys,
    AccessTokenService,
    Passwords,
    LoginThrottle,
    Sessions,
    IdentityEvents,
    IdentityPolicy,
    AuthService,
    AgenciesService,
    UsersService,
    OperatorBootstrap,
    SocketTokenAuthenticator,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [
    AccessTokenService,
    SocketTokenAuthenticator,
    IdentityEvents,
    UsersService,
    AgenciesService,
  ],
})
export class IdentityModule {}

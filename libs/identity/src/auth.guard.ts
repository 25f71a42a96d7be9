import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@tocsin/common';
import type { UserRole } from '@tocsin/contracts';
import {
  ALLOW_TEMPORARY_PASSWORD,
  IS_PUBLIC,
  ROLES,
  SESSION_CHECKED_BY_ROUTE,
  type Principal,
  type WithPrincipal,
} from '@tocsin/http';
import type { Request } from 'express';
import { AccessTokenService } from './tokens/access-token.service';
import { passwordChangeRequired } from './tokens/live-session';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;
const TOKEN_PARAMS = new Set(['access_token', 'token', 'jwt', 'id_token', 'bearer', 'auth']);
const LOOKS_LIKE_JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\./;

/**
 * The global guard: every HTTP route needs a valid access token in the Authorization header
 * unless it is marked `@Public()`, and `@Roles(...)` limits it further. Socket handlers rely
 * on the principal the gateway put in `socket.data` at the handshake.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accessTokens: AccessTokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets);
    if (isPublic) return true;
    if (this.sessionCheckedByRoute(context, targets)) {
      const request = this.bearerRequest(context);
      request.signedCaller = this.accessTokens.verifySignature(bearerToken(request));

      return true;
    }

    const principal = await this.authenticate(context);
    const temporaryAllowed = this.reflector.getAllAndOverride<boolean | undefined>(
      ALLOW_TEMPORARY_PASSWORD,
      targets,
    );
    if (principal.mustChangePassword && !temporaryAllowed) throw passwordChangeRequired();
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new DomainError('forbidden', 'auth.role', `this needs the role ${roles.join(' or ')}`);
    }

    return true;
  }

  private async authenticate(context: ExecutionContext): Promise<Principal> {
    if (context.getType() === 'ws') {
      const client = context.switchToWs().getClient<{ data?: WithPrincipal }>();
      if (!client.data?.principal) throw unauthenticated('auth.required', 'not authenticated');

      return client.data.principal;
    }

    const request = this.bearerRequest(context);
    request.principal = await this.accessTokens.verify(bearerToken(request));

    return request.principal;
  }

  /** The HTTP request, refused when its query string carries a credential. */
  private bearerRequest(context: ExecutionContext): Request & WithPrincipal {
    const request = context.switchToHttp().getRequest<Request & WithPrincipal>();
    if (carriesTokenInQuery(request.originalUrl)) {
      throw unauthenticated('auth.token_in_url', 'tokens belong in the Authorization header');
    }

    return request;
  }

  /**
   * True for an HTTP route whose statement checks the session itself. Such a route cannot
   * limit roles or let a temporary password through: the guard would not see the user's row,
   * so marking a route with either as well is a programming error, refused loudly.
   */
  private sessionCheckedByRoute(context: ExecutionContext, targets: Targets): boolean {
    if (context.getType() !== 'http') return false;
    if (!this.reflector.getAllAndOverride<boolean | undefined>(SESSION_CHECKED_BY_ROUTE, targets)) {
      return false;
    }
    const roles = this.reflector.getAllAndOverride<unknown>(ROLES, targets);
    const temporary = this.reflector.getAllAndOverride<unknown>(ALLOW_TEMPORARY_PASSWORD, targets);
    if (roles !== undefined || temporary !== undefined) {
      throw new Error(
        '@SessionCheckedByRoute() cannot be combined with @Roles or a temporary password',
      );
    }

    return true;
  }
}

type Targets = Parameters<Reflector['getAllAndOverride']>[1];

/** The access token of `Authorization: Bearer …`, or a 401. */
function bearerToken(request: Request): string {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  if (!match) {
    throw unauthenticated('auth.required', 'send `Authorization: Bearer <access token>`');
  }

  return match[1];
}

/** True when a query string carries something that looks like a credential. */
export function carriesTokenInQuery(url: string): boolean {
  const start = url.indexOf('?');
  if (start < 0) return false;
  const params = new URLSearchParams(url.slice(start + 1));
  for (const [name, value] of params) {
    if (TOKEN_PARAMS.has(name.toLowerCase()) || LOOKS_LIKE_JWT.test(value)) return true;
  }

  return false;
}

function unauthenticated(code: string, message: string): DomainError {
  return new DomainError('unauthenticated', code, message);
}

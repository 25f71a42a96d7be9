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

/** What a route asks of the guard, read from its decorators. */
interface RouteRules {
  isPublic: boolean;
  /** `@SessionCheckedByRoute()` on an HTTP route: the signature only (see below). */
  sessionCheckedByRoute: boolean;
  temporaryAllowed: boolean;
  roles?: UserRole[];
}

/**
 * The global guard: every HTTP route needs a valid access token in the Authorization header
 * unless it is marked `@Public()`, and `@Roles(...)` limits it further. Socket handlers rely
 * on the principal the gateway put in `socket.data` at the handshake.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  // Decorators do not change once the app runs: read them once per handler and class, not
  // four reflections on every request.
  private readonly rules = new WeakMap<object, WeakMap<object, RouteRules>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly accessTokens: AccessTokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rules = this.rulesOf(context);
    if (rules.isPublic) return true;
    if (rules.sessionCheckedByRoute && context.getType() === 'http') {
      const request = this.bearerRequest(context);
      request.signedCaller = this.accessTokens.verifySignature(bearerToken(request));

      return true;
    }

    const principal = await this.authenticate(context);
    if (principal.mustChangePassword && !rules.temporaryAllowed) throw passwordChangeRequired();
    const { roles } = rules;
    if (roles && !roles.includes(principal.role)) {
      throw new DomainError('forbidden', 'auth.role', `this needs the role ${roles.join(' or ')}`);
    }

    return true;
  }

  private rulesOf(context: ExecutionContext): RouteRules {
    const handler = context.getHandler();
    const type = context.getClass();
    let byClass = this.rules.get(handler);
    if (!byClass) this.rules.set(handler, (byClass = new WeakMap()));
    let rules = byClass.get(type);
    if (!rules) byClass.set(type, (rules = this.readRules([handler, type])));

    return rules;
  }

  /**
   * A route whose statement checks the session itself cannot limit roles or let a temporary
   * password through: the guard does not see the user's row, so marking a route with either
   * as well is a programming error, refused loudly (on every call, as it is not remembered).
   */
  private readRules(targets: Targets): RouteRules {
    const read = <T>(key: string) => this.reflector.getAllAndOverride<T | undefined>(key, targets);
    const rules: RouteRules = {
      isPublic: read<boolean>(IS_PUBLIC) === true,
      sessionCheckedByRoute: read<boolean>(SESSION_CHECKED_BY_ROUTE) === true,
      temporaryAllowed: read<boolean>(ALLOW_TEMPORARY_PASSWORD) === true,
      roles: read<UserRole[]>(ROLES),
    };
    if (rules.sessionCheckedByRoute && (rules.roles !== undefined || rules.temporaryAllowed)) {
      throw new Error(
        '@SessionCheckedByRoute() cannot be combined with @Roles or a temporary password',
      );
    }

    return rules;
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

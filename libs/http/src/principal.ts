import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { DomainError } from '@tocsin/common';
import type { UserRole } from '@tocsin/contracts';

/**
 * Who is calling, as established by the access token and checked against the database on
 * this very request. The identity library fills it in; every other library reads it.
 */
export interface Principal {
  userId: string;
  agencyId: string;
  role: UserRole;
  isOperator: boolean;
  sessionId: string;
  /** Set while the user still has a password an administrator chose: most routes refuse them. */
  mustChangePassword?: boolean;
}

export const ALLOW_TEMPORARY_PASSWORD = 'tocsin:allowTemporaryPassword';

/** Marks the few routes a user with a temporary password may call (see the password rule). */
export const AllowTemporaryPassword = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOW_TEMPORARY_PASSWORD, true);

export const ROLES = 'tocsin:roles';

/** Limits a route (or a controller) to the given roles in the caller's agency. */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES, roles);

export const SESSION_CHECKED_BY_ROUTE = 'tocsin:sessionCheckedByRoute';

/**
 * Marks a hot read route whose own SQL statement checks the session and the user in the same
 * round trip as its data: the guard then checks only the token's signature and leaves a
 * {@link SignedCaller}, and the route must refuse the request itself when its statement finds
 * no live session. Not with `@Roles` or `@AllowTemporaryPassword` (the guard refuses both).
 */
export const SessionCheckedByRoute = (): MethodDecorator =>
  SetMetadata(SESSION_CHECKED_BY_ROUTE, true);

/** Who a validly signed access token names, before the session is known to be live. */
export interface SignedCaller {
  userId: string;
  sessionId: string;
}

/** Where the guard leaves the principal: `request.principal` (HTTP) or `socket.data.principal`. */
export interface WithPrincipal {
  principal?: Principal;
  /** Only on `@SessionCheckedByRoute()` routes, until the route has checked the session. */
  signedCaller?: SignedCaller;
}

/** The authenticated caller of an HTTP route or a socket event handler. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const holder =
    context.getType() === 'ws'
      ? (context.switchToWs().getClient<{ data?: WithPrincipal }>().data ?? {})
      : context.switchToHttp().getRequest<WithPrincipal>();
  if (!holder.principal) {
    throw new DomainError('unauthenticated', 'auth.required', 'authentication required');
  }

  return holder.principal;
});

/** On a `@SessionCheckedByRoute()` route: who the token names (the guard left it), or a 401. */
export function signedCallerOf(request: WithPrincipal): SignedCaller {
  if (!request.signedCaller) {
    throw new DomainError('unauthenticated', 'auth.required', 'authentication required');
  }

  return request.signedCaller;
}

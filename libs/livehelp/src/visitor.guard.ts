import {
  createParamDecorator,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { AbuseLimits } from './abuse-limits';
import { livehelpErrors } from './errors';
import type { VisitorPrincipal } from './visitor-token';
import { VisitorSessionsService } from './visitor-sessions.service';

const BEARER = /^Bearer (\S+)$/;

interface VisitorRequest extends Request {
  visitor?: VisitorPrincipal;
  visitorToken?: string;
}

/**
 * The guard of visitor routes (which are `@Public()` to the staff guard): a visitor token in
 * `Authorization: Bearer`, live, from the site the chat started on, within the address's
 * request rate. Staff access tokens are refused here as any other wrong token.
 */
@Injectable()
export class VisitorGuard implements CanActivate {
  constructor(
    private readonly sessions: VisitorSessionsService,
    private readonly limits: AbuseLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<VisitorRequest>();
    await this.limits.request(clientAddress(request));
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) throw livehelpErrors.visitorToken();

    request.visitor = await this.sessions.authenticate(match[1], request.headers.origin);
    request.visitorToken = match[1];

    return true;
  }
}

export function clientAddress(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}

/** The visitor a visitor route runs for (after {@link VisitorGuard}). */
export const CurrentVisitor = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<VisitorRequest>();
  if (!request.visitor) throw livehelpErrors.visitorToken();

  return request.visitor;
});

/** The visitor's own token, to hand back when the session is resumed. */
export const VisitorToken = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<VisitorRequest>().visitorToken ?? '';
});

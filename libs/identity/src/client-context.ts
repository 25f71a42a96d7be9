import type { Request } from 'express';
import type { ClientContext } from './sessions';

/** The caller's address (as Express sees it through TRUST_PROXY) and user agent. */
export function clientContext(request: Request): ClientContext {
  const agent = request.headers['user-agent'];

  return {
    address: request.ip ?? request.socket.remoteAddress ?? 'unknown',
    userAgent: typeof agent === 'string' ? agent : undefined,
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Level, Logger } from 'pino';
import type { WithPrincipal } from './principal';
import { requestIdOf } from './request-id';

type Next = (error?: unknown) => void;

/**
 * Gives every request its id (echoed in `X-Request-Id`) and writes one log line when it
 * ends: id, method, path, status, duration in ms and, once authenticated, the user id.
 * It is on every request's path, so it does no more than that: no child logger, no
 * serializers, and no listener at all when the logger's level drops every line it could write.
 */
export function requestLogging(logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const id = requestIdOf(req);
    req.id = id;
    res.setHeader('X-Request-Id', id);

    // `error` is the most a request line is logged at; below that, nothing can be written.
    if (logger.isLevelEnabled('error')) {
      const started = performance.now();
      res.once('close', () => logRequest(logger, req, res, started));
    }
    next();
  };
}

/** Successes are debug, client errors info, server errors and aborted requests error. */
function levelOf(res: ServerResponse): Level {
  if (!res.writableFinished || res.statusCode >= 500) return 'error';

  return res.statusCode >= 400 ? 'info' : 'debug';
}

function logRequest(logger: Logger, req: IncomingMessage, res: ServerResponse, started: number) {
  const level = levelOf(res);
  if (!logger.isLevelEnabled(level)) return;

  const line = {
    // Only the path: a query string is no place for secrets, but if one is sent, it is not kept.
    req: {
      id: req.id,
      method: req.method,
      path: (req.url ?? '').split('?')[0],
      remoteAddress: req.socket.remoteAddress,
    },
    res: { statusCode: res.statusCode },
    responseTime: Math.round(performance.now() - started),
    userId: (req as WithPrincipal).principal?.userId,
  };
  logger[level](line, res.writableFinished ? 'request completed' : 'request aborted');
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

declare module 'http' {
  interface IncomingMessage {
    /** This request's id, echoed as `X-Request-Id` and returned in error bodies. */
    id?: string;
  }
}

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * A well-formed `X-Request-Id` from a proxy is kept so logs join up across services; anything
 * else (missing, repeated, or with characters a log or header should not carry) gets a new id.
 */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];

  return typeof incoming === 'string' && CLIENT_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

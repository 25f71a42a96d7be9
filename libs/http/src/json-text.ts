import type { ServerResponse } from 'node:http';

/**
 * Sends JSON text that is already built (by PostgreSQL, for the hot list routes) with
 * `res.end`, past Express's `send`, which would parse the Content-Type again, hash or test the
 * body for an ETag, copy the text to a Buffer and write the head and body as two chunks.
 * Headers set before (request id, security headers, CORS) stay; a HEAD request gets the
 * headers only (Node drops the body).
 */
export function writeJsonText(response: ServerResponse, text: string, status = 200): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(text, 'utf8'));
  // A string, not a Buffer: Node then writes the head and the body in one chunk.
  response.end(text, 'utf8');
}

import { Logger } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { sendError } from './all-exceptions.filter';
import { assertJsonDepth, JsonBodyRuleError, refuseUnstorableText } from './json-body-rules';

/** A route that takes a body other than JSON (CAP XML, for instance) and its own size limit. */
export interface RawBodyRoute {
  method: 'POST' | 'PUT';
  path: RegExp;
  types: string[];
  limit: string;
  /** `buffer` keeps the bytes (a document that names its own encoding); `text` by default. */
  as?: 'text' | 'buffer';
}

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Installs the body parsers: JSON everywhere under `/api` with the configured size limit,
 * raw text for the routes that declare it, and 415 for any other body. Parser failures are
 * answered here in the common error shape, before any route runs.
 */
export function installBodyParsing(
  app: express.Express,
  jsonLimit: string,
  rawRoutes: RawBodyRoute[] = [],
): void {
  const logger = new Logger('BodyParsing');

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) return next();

    const route = rawRoutes.find((r) => r.method === req.method && r.path.test(req.path));
    const accepted = route ? route.types : JSON_TYPES;
    if (!req.is(accepted)) {
      const error = Object.assign(new Error(`expected a body of type ${accepted.join(' or ')}`), {
        status: 415,
        type: 'unsupported.media.type',
      });
      return sendError(error, req, res, logger);
    }
    const parser = route
      ? route.as === 'buffer'
        ? express.raw({ type: route.types, limit: route.limit })
        : express.text({ type: route.types, limit: route.limit })
      : express.json({
          type: JSON_TYPES,
          limit: jsonLimit,
          strict: true,
          verify: (_req, _res, raw) => assertJsonDepth(raw),
          reviver: refuseUnstorableText,
        });

    parser(req, res, (error?: unknown) => {
      if (error) return sendError(asClientError(error, req), req, res, logger);
      next();
    });
  });
}

/**
 * A body that cannot be read is the client's fault: a rule of ours, or a content encoding that
 * does not decode (zlib errors carry no status of their own).
 */
function asClientError(error: unknown, req: Request): unknown {
  const cause = (error as { cause?: unknown } | null)?.cause ?? error;
  if (cause instanceof JsonBodyRuleError) return cause;
  const hasStatus = typeof (error as { status?: unknown } | null)?.status === 'number';
  if (!hasStatus && req.headers['content-encoding']) {
    return Object.assign(new Error('the request body does not decode with its Content-Encoding'), {
      status: 400,
      type: 'encoding.failed',
    });
  }

  return error;
}

function hasBody(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return false;
  const length = req.headers['content-length'];

  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LiveHelpSettingsService } from './settings.service';
import { parseOrigin } from './url-policy';

/** The visitor routes: the only API paths a page on another site may call. */
const VISITOR_PATHS = /^\/api\/livehelp\/(visitors|visitor\/[a-z/]+)$/;

/**
 * CORS for the visitor routes only, ahead of the API-wide CORS: an origin some agency allows
 * gets the CORS headers (the route itself then checks it against the chat's own agency);
 * any other origin gets none, so the browser keeps the answer from the page. Credentials
 * (cookies) are never allowed: the visitor token travels in the Authorization header.
 */
@Injectable()
export class LiveHelpCors {
  constructor(private readonly settings: LiveHelpSettingsService) {}

  middleware(): RequestHandler {
    return (request: Request, response: Response, next: NextFunction) => {
      const originHeader = request.headers.origin;
      if (!VISITOR_PATHS.test(request.path) || typeof originHeader !== 'string') return next();
      const origin = parseOrigin(originHeader);

      const known = origin ? this.settings.originKnown(origin) : Promise.resolve(false);
      known.then(
        (allowed) => this.answer(request, response, next, allowed ? origin : undefined),
        (error: unknown) => next(error),
      );
    };
  }

  private answer(request: Request, response: Response, next: NextFunction, origin?: string) {
    response.vary('Origin');
    if (origin) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Expose-Headers', 'Retry-After, X-Request-Id');
    }
    if (request.method !== 'OPTIONS') return next();

    if (origin) {
      response.setHeader('Access-Control-Allow-Methods', 'GET, POST');
      response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      response.setHeader('Access-Control-Max-Age', '600');
    }
    response.status(204).end();
  }
}

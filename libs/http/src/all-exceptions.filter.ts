import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { ErrorBody } from '@tocsin/contracts';
import type { Request, Response } from 'express';
import { DomainError } from '@tocsin/common';
import { reasonPhrase, toErrorBody } from './error-body';

/**
 * The one place where HTTP errors take their shape `{statusCode, error, message}`. A 500 is
 * logged with the request id, and the same id is returned so support can find the log line.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    sendError(error, request, response, this.logger);
  }
}

export function sendError(error: unknown, request: Request, response: Response, logger: Logger) {
  const requestId = String(request.id ?? '');
  let body: ErrorBody | undefined = toErrorBody(error);

  if (!body) {
    logger.error({ err: error, requestId }, 'unhandled error');
    body = { statusCode: 500, error: reasonPhrase(500), message: 'internal error' };
  } else if (body.statusCode >= 500) {
    logger.warn({ requestId, statusCode: body.statusCode, reason: body.message }, 'unavailable');
  }

  if (response.headersSent) return;
  const retryAfter = retryAfterSeconds(error);
  if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
  response.status(body.statusCode).json({ ...body, requestId });
}

/** A rate-limited domain error says when to come back in `details.retryAfterSeconds`. */
function retryAfterSeconds(error: unknown): number | undefined {
  if (!(error instanceof DomainError) || error.kind !== 'rate_limited') return undefined;
  const seconds = error.details?.retryAfterSeconds;

  return typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds) : undefined;
}

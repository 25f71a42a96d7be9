import { HttpException, HttpStatus } from '@nestjs/common';
import type { DomainErrorKind } from '@tocsin/common';
import { DomainError } from '@tocsin/common';
import type { ErrorBody } from '@tocsin/contracts';
import { isDatabaseUnavailable } from '@tocsin/database';

/** The status each kind of domain failure answers with. */
export function statusForKind(kind: DomainErrorKind): number {
  switch (kind) {
    case 'invalid':
      return HttpStatus.BAD_REQUEST;
    case 'unauthenticated':
      return HttpStatus.UNAUTHORIZED;
    case 'forbidden':
      return HttpStatus.FORBIDDEN;
    case 'not_found':
      return HttpStatus.NOT_FOUND;
    case 'conflict':
      return HttpStatus.CONFLICT;
    case 'gone':
      return HttpStatus.GONE;
    case 'too_large':
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case 'rate_limited':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'unavailable':
      return HttpStatus.SERVICE_UNAVAILABLE;
    default:
      return assertNever(kind);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled domain error kind ${String(value)}`);
}

/** Errors raised by Express's body parsers carry a status and a type. */
interface BodyParserError {
  status: number;
  type?: string;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return error instanceof Error && typeof (error as Partial<BodyParserError>).status === 'number';
}

const BODY_PARSER_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'the request body is not valid JSON',
  'entity.too.large': 'the request body is larger than the limit',
  'charset.unsupported': 'the request body uses an unsupported character set',
  'encoding.unsupported': 'the request body uses an unsupported content encoding',
  'request.size.invalid': 'the request body does not match its Content-Length',
  'unsupported.media.type': '',
  'entity.rules.failed': '',
  'encoding.failed': '',
};

/**
 * Turns any thrown value into the status and JSON body the client sees. Returns `undefined`
 * for errors that are our fault (a 500), so the caller can log them with an id.
 */
export function toErrorBody(error: unknown): ErrorBody | undefined {
  if (error instanceof DomainError) {
    const statusCode = statusForKind(error.kind);

    return {
      statusCode,
      error: reasonPhrase(statusCode),
      message: error.message,
      code: error.code,
      ...(error.details ? { details: error.details } : {}),
    };
  }

  if (error instanceof HttpException) {
    const statusCode = error.getStatus();
    const response = error.getResponse();
    const fields = typeof response === 'object' && response !== null ? response : {};
    const message =
      'message' in fields ? (fields as { message: string | string[] }).message : error.message;
    const details =
      'details' in fields
        ? { details: (fields as { details: Record<string, unknown> }).details }
        : {};

    return { statusCode, error: reasonPhrase(statusCode), message, ...details };
  }

  if (isBodyParserError(error) && error.status >= 400 && error.status < 500) {
    const ours = error.message.startsWith('text in the request body');
    const message =
      (!ours && BODY_PARSER_MESSAGES[error.type ?? '']) ||
      error.message ||
      'the request body could not be read';

    return { statusCode: error.status, error: reasonPhrase(error.status), message };
  }

  if (isDatabaseUnavailable(error)) {
    const statusCode = HttpStatus.SERVICE_UNAVAILABLE;

    return {
      statusCode,
      error: reasonPhrase(statusCode),
      message: 'the database is unavailable; try again shortly',
    };
  }

  return undefined;
}

const PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reasonPhrase(statusCode: number): string {
  return PHRASES[statusCode] ?? (statusCode >= 500 ? 'Server Error' : 'Client Error');
}

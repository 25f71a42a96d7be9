import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

/**
 * The body of every error answer, as the exception filter and the body parsers send it. One
 * class, so the OpenAPI description holds one schema that every error response refers to.
 */
export class ErrorBodyView {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ description: 'The reason phrase of the status', example: 'Not Found' })
  error!: string;

  @ApiProperty({
    description: 'What went wrong; a list when validation found several problems',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
  })
  message!: string | string[];

  @ApiPropertyOptional({
    description: 'A stable machine-readable reason, such as `alert.not_active`',
    example: 'alert.not_found',
  })
  code?: string;

  @ApiPropertyOptional({ description: 'The id of the request, also in `X-Request-Id`' })
  requestId?: string;

  @ApiPropertyOptional({
    description: 'More about the refusal, such as `retryAfterSeconds` or a list of `errors`',
    type: 'object',
    additionalProperties: true,
  })
  details?: Record<string, unknown>;
}

/** The error statuses routes answer with on purpose (500 and 503 can happen anywhere). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429;

const DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Bad input: a body, path parameter or query that is malformed or breaks a rule.',
  401: 'No access token, or one that is invalid, expired or of an ended session.',
  403:
    "Refused, `code` says why: the caller's role or agency may not do this, or a temporary " +
    'password must be changed first (`password.change_required`).',
  404: 'Not found, or not visible to the caller (another agency’s or another user’s).',
  409: 'Conflicts with the current state (`code` says which).',
  413: 'Too large: the body, a text in it, or what was asked for (`message` says which).',
  415: 'The body is not of a content type this route accepts.',
  429: 'Too many requests: wait the seconds `Retry-After` gives, then try again.',
};

/** The failures any route that reads a body can give before it even runs. */
export const BODY_ERRORS = [400, 413, 415] as const satisfies readonly ErrorStatus[];

/**
 * Documents the error answers a route (or every route of a controller) can give, each with
 * the common error body. Only list what the route can really answer.
 */
export function ApiErrors(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        type: ErrorBodyView,
        ...(status === 429 ? { headers: RETRY_AFTER } : {}),
      }),
    ),
  );
}

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', minimum: 1 },
  },
};

import pino, { type Logger } from 'pino';

export interface LoggingOptions {
  level: string;
  format: 'auto' | 'json' | 'pretty';
}

/**
 * Paths whose values never reach a log line: credentials, tokens, keys and message bodies.
 * Redaction is by path, so a new field carrying a secret must be added here.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.privateKey',
  '*.body',
];

/** Builds the process-wide pino logger: pretty on a terminal, JSON lines otherwise. */
export function createRootLogger(options: LoggingOptions): Logger {
  const pretty = options.format === 'pretty' || (options.format === 'auto' && process.stdout.isTTY);

  return pino({
    level: options.level,
    base: { service: 'tocsin' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}

/**
 * Errors as pino serializes them, minus the bound values of a failed SQL statement: those can
 * hold message text, names or hashes, which have no place in a log.
 */
function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (serialized && typeof serialized === 'object') {
    delete serialized.parameters;
    delete serialized.driverError;
  }

  return serialized;
}

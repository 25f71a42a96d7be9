import type { Level, Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';

/**
 * Routes NestJS's own logging (and every `new Logger(Class.name)`) into pino, so the
 * repository has one logging style. The Nest context becomes the `context` field.
 */
/**
 * Nest's start-up wiring: one line per module, route and gateway event. Useful when debugging
 * the wiring, noise at info where the lines that matter at start (the generated operator
 * password, the listening address) would drown among a hundred of them.
 */
const WIRING_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestFactory',
]);

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    const wiring = typeof context === 'string' && WIRING_CONTEXTS.has(context);
    this.write(wiring ? 'debug' : 'info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    // A Nest Logger with a context appends it as the last argument.
    const context = rest.length > 0 && typeof rest.at(-1) === 'string' ? rest.pop() : undefined;
    const extra = typeof rest[0] === 'string' ? rest[0] : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};

    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, extra ?? message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...(message as object) }, extra);
    } else if (level === 'error' && extra) {
      // Nest's error(message, stack) form.
      this.logger[level]({ ...fields, stack: extra }, String(message));
    } else {
      this.logger[level](fields, String(message));
    }
  }
}

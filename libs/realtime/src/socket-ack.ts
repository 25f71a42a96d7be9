import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { ErrorBody } from '@tocsin/contracts';
import { toErrorBody } from '@tocsin/http';
import { catchError, map, of, type Observable } from 'rxjs';
import { assertSocketPayload } from './socket-payload';

export type SocketAck<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/**
 * Every client event is answered through its acknowledgement callback: `{ok: true, data}` or
 * `{ok: false, error}` with the same error shape as HTTP. A payload breaking the rules of an
 * HTTP body (unstorable text, deep nesting) is refused before the handler. An unexpected
 * failure answers a 500-shaped error to that client only; the socket and the process carry on.
 */
@Injectable()
export class SocketAckInterceptor implements NestInterceptor {
  private readonly logger = new Logger(SocketAckInterceptor.name);

  intercept(context: ExecutionContext, next: CallHandler): Observable<SocketAck<unknown>> {
    try {
      assertSocketPayload(context.switchToWs().getData());
    } catch (error) {
      return of({ ok: false as const, error: toErrorBody(error)! });
    }

    return next.handle().pipe(
      map((data: unknown) => ({ ok: true as const, data })),
      catchError((error: unknown) => {
        const body = toErrorBody(error);
        if (!body) {
          const event = context.switchToWs().getPattern();
          this.logger.error({ err: error, event }, 'socket handler failed');
        }

        return of({
          ok: false as const,
          error: body ?? {
            statusCode: 500,
            error: 'Internal Server Error',
            message: 'internal error',
          },
        });
      }),
    );
  }
}

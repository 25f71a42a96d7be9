/**
 * What kind of failure a domain error is. The HTTP and socket edges translate each kind
 * to a status; domain code never knows about HTTP.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable';

/**
 * The one error class of every domain library. `code` is a stable machine-readable reason
 * (such as `alert.not_found`), `details` optional structured context safe to show the caller.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

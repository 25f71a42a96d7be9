import { DomainError } from '@tocsin/common';

/** Live Help's refusals, with stable codes. */
export const livehelpErrors = {
  originRefused: () =>
    new DomainError(
      'forbidden',
      'livehelp.origin_refused',
      'this site may not open Live Help for that agency',
    ),
  visitorToken: () =>
    new DomainError(
      'unauthenticated',
      'livehelp.visitor_token',
      'invalid or expired visitor token',
    ),
  blocked: () =>
    new DomainError('forbidden', 'livehelp.blocked', 'Live Help is not available to you now'),
  closed: () =>
    new DomainError('conflict', 'livehelp.closed', 'this chat has ended; start a new one'),
  chatNotFound: () => new DomainError('not_found', 'livehelp.not_found', 'no such chat'),
  notRepresentative: () =>
    new DomainError(
      'forbidden',
      'livehelp.representatives_only',
      'Live Help is answered by the agency’s dispatchers and administrators',
    ),
  notYours: () =>
    new DomainError('forbidden', 'livehelp.not_assigned', 'this chat is assigned to someone else'),
  alreadyTaken: () =>
    new DomainError('conflict', 'livehelp.already_accepted', 'another representative took it'),
  pushRefused: (url: string) =>
    new DomainError('invalid', 'livehelp.push_refused', 'that page is not on the allow-list', {
      url,
    }),
  tooLong: (maxLength: number, length: number) =>
    new DomainError(
      'too_large',
      'livehelp.message_too_long',
      `a message holds at most ${maxLength} characters`,
      { maxLength, length },
    ),
  rateLimited: (what: string, retryAfterSeconds: number) =>
    new DomainError(
      'rate_limited',
      'livehelp.rate_limited',
      `too many ${what}; try again in ${retryAfterSeconds} seconds`,
      { retryAfterSeconds },
    ),
  invalid: (code: string, message: string, details?: Record<string, unknown>) =>
    new DomainError('invalid', code, message, details),
};

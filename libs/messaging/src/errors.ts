import { DomainError } from '@tocsin/common';

/** The messaging library's refusals, with stable codes. */
export const messagingErrors = {
  conversationNotFound: () =>
    new DomainError('not_found', 'conversation.not_found', 'no such conversation'),
  formerMember: () =>
    new DomainError(
      'forbidden',
      'conversation.former_member',
      'you are no longer a member of this conversation',
    ),
  messageNotFound: () => new DomainError('not_found', 'message.not_found', 'no such message'),
  notSender: () =>
    new DomainError('forbidden', 'message.not_sender', 'only the sender changes a message'),
  alreadyDeleted: () =>
    new DomainError('conflict', 'message.deleted', 'the message has been deleted'),
  archiveForbidden: () =>
    new DomainError(
      'forbidden',
      'archive.forbidden',
      "only administrators read the archive and set the agency's messaging policy",
    ),
  policyForbids: (what: string) =>
    new DomainError('forbidden', 'messaging.policy', `your agency's policy does not allow ${what}`),
  invalid: (code: string, message: string, details?: Record<string, unknown>) =>
    new DomainError('invalid', code, message, details),
};

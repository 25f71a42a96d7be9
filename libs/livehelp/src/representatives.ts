import type { Principal } from '@tocsin/http';
import { DomainError } from '@tocsin/common';
import { livehelpErrors } from './errors';

/**
 * Who answers Live Help: the agency's dispatchers and administrators. They already answer
 * the agency's alerts and incident chats, so no separate flag is kept for them.
 */
export const REPRESENTATIVE_ROLES: readonly string[] = ['admin', 'dispatcher'];

export function isRepresentative(role: string): boolean {
  return REPRESENTATIVE_ROLES.includes(role);
}

export function assertRepresentative(principal: Principal): void {
  if (!isRepresentative(principal.role)) throw livehelpErrors.notRepresentative();
}

export function assertAdmin(principal: Principal): void {
  if (principal.role !== 'admin') {
    throw new DomainError(
      'forbidden',
      'livehelp.admins_only',
      'only administrators change Live Help settings',
    );
  }
}

import { DomainError } from '@tocsin/common';
import type { Principal } from '@tocsin/http';
import type { AlertRecord } from './alert-record';

/**
 * Who may do what with an alert, in one place. Sending agency staff manage its alerts;
 * recipients read and answer the alerts they received; nobody else learns they exist.
 */
export const alertPolicy = {
  canSend(principal: Principal): void {
    if (principal.role !== 'admin' && principal.role !== 'dispatcher') {
      throw new DomainError(
        'forbidden',
        'alert.send_forbidden',
        'only dispatchers and admins send alerts',
      );
    }
  },

  /** Throws 404 unless the user belongs to the sending agency or is a recipient. */
  canRead(principal: Principal, alert: AlertRecord, isRecipient: boolean): void {
    if (alert.agencyId !== principal.agencyId && !isRecipient) throw notFound();
  },

  /** Another agency's alert is refused with 403, as the outside contract says. */
  canManage(principal: Principal, alert: AlertRecord): void {
    if (alert.agencyId !== principal.agencyId) {
      throw new DomainError(
        'forbidden',
        'alert.other_agency',
        'the alert belongs to another agency',
      );
    }
    this.canSend(principal);
  },

  canSeeRecipients(principal: Principal, alert: AlertRecord, isRecipient: boolean): void {
    this.canRead(principal, alert, isRecipient);
    const staff = ['admin', 'dispatcher', 'observer'].includes(principal.role);
    if (alert.agencyId !== principal.agencyId || !staff) {
      throw new DomainError(
        'forbidden',
        'alert.recipients_forbidden',
        "only the sending agency's dispatchers, admins and observers see recipients",
      );
    }
  },

  canRespond(principal: Principal, alert: AlertRecord, isRecipient: boolean): void {
    this.canRead(principal, alert, isRecipient);
    if (!isRecipient) {
      throw new DomainError('forbidden', 'alert.not_recipient', 'only recipients answer an alert');
    }
  },
};

export function notFound(): DomainError {
  return new DomainError('not_found', 'alert.not_found', 'no such alert');
}

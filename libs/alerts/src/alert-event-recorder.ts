import { Injectable } from '@nestjs/common';
import { AuditService } from '@tocsin/audit';
import type { AlertView } from '@tocsin/contracts';
import { OutboxService, type OutboxEntry } from '@tocsin/outbox';
import type { EntityManager } from 'typeorm';
import { ALERT_EVENT_TOPIC, type AlertEventMessage } from './alert-events';
import { toAlertView, type AlertRecord } from './alert-record';
import { AlertsRepository } from './alerts.repository';

/** Who changed an alert: a user, or nobody for a feed polled on an agency's behalf. */
export interface AlertActor {
  agencyId: string;
  userId: string | null;
}

/**
 * The tail of every alert change, inside its transaction: the replay event for the alert's
 * new seq, the audit record and the outbox row that delivers it after the commit.
 */
@Injectable()
export class AlertEventRecorder {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  async record(
    manager: EntityManager,
    actor: AlertActor,
    id: string,
    eventName: string,
    auditAction: string,
    auditData: Record<string, unknown>,
    options: { owned?: boolean } = {},
  ): Promise<{ alert: AlertView; entry: OutboxEntry }> {
    const record = (await this.alerts.findById(manager, id)) as AlertRecord;
    const alert = toAlertView(record);
    await this.alerts.appendEvent(manager, id, record.seq, eventName, alert);
    const message: AlertEventMessage = { alertId: id, seq: record.seq };
    // Owned: the caller delivers it from memory at the commit (OutboxService.addOwned).
    const entry = options.owned
      ? await this.outbox.addOwned(manager, ALERT_EVENT_TOPIC, message)
      : await this.outbox.add(manager, ALERT_EVENT_TOPIC, message);
    // Last: the audit append locks the agency's chain until the commit, and every other
    // change of the agency (the rest of a burst of alerts) waits for that lock.
    await this.audit.record(manager, {
      agencyId: actor.agencyId,
      actorId: actor.userId,
      action: auditAction,
      targetType: 'alert',
      targetId: id,
      data: { ...auditData, seq: record.seq, headline: record.headline },
    });

    return { alert, entry };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CapAlert, CapParseResult } from '@tocsin/cap';
import { DomainError } from '@tocsin/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import type { AlertView } from '@tocsin/contracts';
import type { OutboxEntry } from '@tocsin/outbox';
import { OutboxService } from '@tocsin/outbox';
import { DataSource, type EntityManager } from 'typeorm';
import { AlertEventRecorder, type AlertActor } from '../alert-event-recorder';
import { alertState, toAlertView } from '../alert-record';
import { AlertsRepository } from '../alerts.repository';
import { RecipientsRepository } from '../recipients.repository';
import { resolveTargets } from '../targeting';
import { capAreas, capColumns } from './cap-mapping';
import { CapRepository } from './cap.repository';

/**
 * What an import did: `created` a new alert, `updated` or `cancelled` the alert it names,
 * `duplicate` (this message was imported before), `stale` (an older message of an alert
 * already updated past it), `held` (a Cancel whose original is not known yet).
 */
export type CapImportOutcome = 'created' | 'updated' | 'cancelled' | 'duplicate' | 'stale' | 'held';

export interface CapImportResult {
  outcome: CapImportOutcome;
  /** The alert concerned; absent when a Cancel is held. */
  alert?: AlertView;
}

/** Refusal of a parse result, as a domain error listing every problem with its element. */
export function capRefusal(result: Extract<CapParseResult, { ok: false }>): DomainError {
  const first = result.errors[0];
  const summary = first ? `${first.element}: ${first.message}` : 'invalid CAP message';
  const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : '';

  return new DomainError(
    result.reason === 'too_large' ? 'too_large' : 'invalid',
    `cap.${result.reason}`,
    `${summary}${more}`,
    { reason: result.reason, errors: result.errors },
  );
}

/**
 * Imports CAP messages as alerts of an agency, with the alert commands' pattern: one
 * transaction stores the alert, its areas and recipients, the message history, the replay
 * event, the audit record and the outbox row; delivery starts after the commit.
 *
 * Alert creates. Update applies to the alert its references name (or is imported as a
 * current alert when none is known). Cancel cancels the alerts it names; when none is known
 * it is held for CAP_PENDING_CANCEL_MINUTES and applied if the original arrives meanwhile.
 * A reference to another agency's alert is refused. A message imported before changes
 * nothing. Recipients: members of groups whose jurisdiction meets the area and responders
 * located in it; Draft messages and alerts already over reach nobody.
 */
@Injectable()
export class CapImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertsRepository,
    private readonly recipients: RecipientsRepository,
    private readonly caps: CapRepository,
    private readonly recorder: AlertEventRecorder,
    private readonly outbox: OutboxService,
  ) {}

  async importCap(actor: AlertActor, cap: CapAlert): Promise<CapImportResult> {
    if (cap.msgType === 'Ack' || cap.msgType === 'Error') {
      throw new DomainError(
        'invalid',
        'cap.msg_type_unsupported',
        `msgType ${cap.msgType} acknowledges or rejects a message; it is not an alert to import`,
        { errors: [{ element: 'alert/msgType', message: 'Ack and Error are not imported' }] },
      );
    }

    const { result, entries } = await this.dataSource.transaction(async (manager) => {
      const entries: OutboxEntry[] = [];
      await this.caps.lockAgency(manager, actor.agencyId);
      const result = await this.apply(manager, actor, cap, entries);

      return { result, entries };
    });
    if (entries.length > 0) await this.outbox.dispatch(entries);

    return result;
  }

  private async apply(
    manager: EntityManager,
    actor: AlertActor,
    cap: CapAlert,
    entries: OutboxEntry[],
  ): Promise<CapImportResult> {
    const known = await this.caps.find(manager, actor.agencyId, cap.sender, cap.identifier);
    if (known && known.agencyId === actor.agencyId) {
      return known.alertId ? this.answer(manager, 'duplicate', known.alertId) : { outcome: 'held' };
    }
    const targets = await this.referencedAlerts(manager, actor, cap);

    if (cap.msgType === 'Cancel') {
      if (targets.length === 0) {
        await this.caps.holdCancel(
          manager,
          actor.agencyId,
          cap,
          actor.userId,
          this.config.cap.pendingCancelMinutes,
        );
        await this.caps.remember(manager, actor.agencyId, cap, null);

        return { outcome: 'held' };
      }
      for (const alertId of targets) await this.cancel(manager, actor, alertId, cap, entries);
      await this.caps.remember(manager, actor.agencyId, cap, targets[0]!);

      return this.answer(manager, 'cancelled', targets[0]!);
    }

    if (cap.msgType === 'Update' && targets.length > 0) {
      const alertId = targets[0]!;
      const outcome = await this.update(manager, actor, alertId, cap, entries);
      await this.caps.remember(manager, actor.agencyId, cap, alertId);

      return this.answer(manager, outcome, alertId);
    }

    const newer = await this.caps.supersededBy(manager, actor.agencyId, cap);
    if (newer) {
      await this.caps.remember(manager, actor.agencyId, cap, newer);

      return this.answer(manager, 'stale', newer);
    }
    const alertId = await this.create(manager, actor, cap, entries);
    await this.caps.remember(manager, actor.agencyId, cap, alertId);

    return this.answer(manager, 'created', alertId);
  }

  /**
   * The agency's alerts that the message's references name, newest reference first. A
   * reference to an alert another agency issued is refused: agencies never change each
   * other's alerts (their imported copies of outside messages do not count).
   */
  private async referencedAlerts(
    manager: EntityManager,
    actor: AlertActor,
    cap: CapAlert,
  ): Promise<string[]> {
    const ordered = [...cap.references].sort((a, b) =>
      b.sent.instant.localeCompare(a.sent.instant),
    );
    const ids: string[] = [];
    for (const reference of ordered) {
      const found = await this.caps.find(
        manager,
        actor.agencyId,
        reference.sender,
        reference.identifier,
      );
      // Another agency's copy of an outside message is not that agency's alert: unknown here.
      if (!found || (found.agencyId !== actor.agencyId && !found.native)) continue;
      if (found.agencyId !== actor.agencyId) {
        throw new DomainError(
          'forbidden',
          'cap.other_agency',
          `the message references ${reference.identifier}, an alert of another agency`,
          { errors: [{ element: 'alert/references', message: 'names another agency’s alert' }] },
        );
      }
      if (found.alertId && !ids.includes(found.alertId)) ids.push(found.alertId);
    }

    return ids;
  }

  private async create(
    manager: EntityManager,
    actor: AlertActor,
    cap: CapAlert,
    entries: OutboxEntry[],
  ): Promise<string> {
    const alertId = await this.alerts.insert(
      manager,
      {
        ...capColumns(cap, this.config.alerts.defaultTtlMinutes),
        agencyId: actor.agencyId,
        senderUserId: actor.userId,
        groupIds: [],
        escalateAfterSeconds: null,
        backupGroupId: null,
      },
      [],
    );
    await this.caps.replaceAreas(manager, alertId, capAreas(cap));
    await this.caps.storeMessage(manager, alertId, cap, 1);

    // A Cancel that arrived first, naming this message or one it updates, applies at once.
    const held = await this.caps.takeHeldCancel(manager, actor.agencyId, [
      { sender: cap.sender, identifier: cap.identifier },
      ...cap.references.map(({ sender, identifier }) => ({ sender, identifier })),
    ]);
    if (held) {
      const { expires } = (await this.alerts.findById(manager, alertId))!;
      await this.alerts.update(manager, alertId, {
        ...cancelColumns(held, expires),
        cancelled_at: new Date(),
        cap_message: JSON.stringify(held),
      });
      await this.caps.remember(manager, actor.agencyId, held, alertId);
      const { entry } = await this.recorder.record(
        manager,
        actor,
        alertId,
        'alert.cancelled',
        'alert.imported',
        { identifier: cap.identifier, cancelledBy: held.identifier, recipients: 0 },
      );
      entries.push(entry);

      return alertId;
    }

    const count = await this.target(manager, actor, alertId, cap, 1);
    const { entry } = await this.recorder.record(
      manager,
      actor,
      alertId,
      'alert.created',
      'alert.imported',
      { identifier: cap.identifier, sender: cap.sender, recipients: count },
    );
    entries.push(entry);

    return alertId;
  }

  private async update(
    manager: EntityManager,
    actor: AlertActor,
    alertId: string,
    cap: CapAlert,
    entries: OutboxEntry[],
  ): Promise<CapImportOutcome> {
    await this.alerts.lock(manager, alertId);
    const current = (await this.alerts.findById(manager, alertId))!;
    if (Date.parse(cap.sent.instant) < current.sent.getTime()) return 'stale';
    if (current.cancelledAt) {
      throw new DomainError(
        'conflict',
        'alert.not_active',
        'the alert this Update references is cancelled',
      );
    }

    const version = current.version + 1;
    const columns = capColumns(cap, this.config.alerts.defaultTtlMinutes);
    await this.alerts.update(manager, alertId, {
      identifier: columns.identifier,
      sender: columns.sender,
      sent: columns.sent,
      status: columns.status,
      msg_type: columns.msgType,
      scope: columns.scope,
      references: JSON.stringify(columns.references),
      event: columns.event,
      headline: columns.headline,
      description: columns.description,
      instruction: columns.instruction,
      category: columns.category,
      severity: columns.severity,
      urgency: columns.urgency,
      certainty: columns.certainty,
      effective: columns.effective,
      onset: columns.onset,
      expires: columns.expires,
      version,
      seq: current.seq + 1,
    });
    await this.caps.replaceAreas(manager, alertId, capAreas(cap));
    await this.caps.storeMessage(manager, alertId, cap, version);
    const count = await this.target(manager, actor, alertId, cap, current.seq + 1);
    const { entry } = await this.recorder.record(
      manager,
      actor,
      alertId,
      'alert.updated',
      'alert.updated',
      { identifier: cap.identifier, imported: true, newRecipients: count },
    );
    entries.push(entry);

    return 'updated';
  }

  private async cancel(
    manager: EntityManager,
    actor: AlertActor,
    alertId: string,
    cap: CapAlert,
    entries: OutboxEntry[],
  ): Promise<void> {
    await this.alerts.lock(manager, alertId);
    const current = (await this.alerts.findById(manager, alertId))!;
    if (current.cancelledAt) return;

    const version = current.version + 1;
    await this.alerts.update(manager, alertId, {
      ...cancelColumns(cap, current.expires),
      cancelled_at: new Date(),
      version,
      seq: current.seq + 1,
    });
    await this.caps.storeMessage(manager, alertId, cap, version);
    const { entry } = await this.recorder.record(
      manager,
      actor,
      alertId,
      'alert.cancelled',
      'alert.cancelled',
      { identifier: cap.identifier, imported: true },
    );
    entries.push(entry);
  }

  /** Adds the recipients of an alert that is live; returns how many were added. */
  private async target(
    manager: EntityManager,
    actor: AlertActor,
    alertId: string,
    cap: CapAlert,
    seq: number,
  ): Promise<number> {
    const record = (await this.alerts.findById(manager, alertId))!;
    if (cap.status === 'Draft' || alertState(record) !== 'active') return 0;
    const targets = await resolveTargets(
      manager,
      { alertId },
      {
        agencyId: actor.agencyId,
        groupIds: [],
        locationMaxAgeSeconds: this.config.alerts.locationMaxAgeMinutes * 60,
        byName: false,
      },
    );
    const added = await this.recipients.addMissing(manager, alertId, targets, seq);

    return added.length;
  }

  private async answer(
    manager: EntityManager,
    outcome: CapImportOutcome,
    alertId: string,
  ): Promise<CapImportResult> {
    const record = (await this.alerts.findById(manager, alertId))!;

    return { outcome, alert: toAlertView(record) };
  }
}

/**
 * The header columns a Cancel message writes; the alert keeps its text. A Cancel sent after
 * the alert expired moves the expiry just past it (the table keeps expires after sent).
 */
function cancelColumns(cap: CapAlert, expires: Date): Record<string, unknown> {
  const sent = new Date(cap.sent.instant);

  return {
    identifier: cap.identifier,
    sender: cap.sender,
    sent,
    expires: new Date(Math.max(expires.getTime(), sent.getTime() + 1000)),
    msg_type: 'Cancel',
    cancel_reason: cap.note ?? null,
    references: JSON.stringify(
      cap.references.map((r) => ({
        sender: r.sender,
        identifier: r.identifier,
        sent: r.sent.instant,
      })),
    ),
  };
}

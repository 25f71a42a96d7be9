import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@tocsin/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import type { AlertView, TargetPreview, TargetReason } from '@tocsin/contracts';
import { GeometryChecker, parseAreas } from '@tocsin/geo';
import type { Principal } from '@tocsin/http';
import { OutboxService, type OutboxEntry } from '@tocsin/outbox';
import { DataSource, type EntityManager } from 'typeorm';
import { AlertDeliveryService } from './alert-delivery.service';
import { AlertEventRecorder } from './alert-event-recorder';
import { alertPolicy, notFound } from './alert-policy';
import { alertState, type AlertRecord } from './alert-record';
import { AlertsRepository } from './alerts.repository';
import type { CreateAlertDto } from './dto/create-alert.dto';
import type { UpdateAlertDto } from './dto/update-alert.dto';
import { EscalationService } from './escalation.service';
import { RecipientsRepository } from './recipients.repository';
import { resolveTargets, targetsQuery, type TargetRow } from './targeting';

/** The longest an alert may be set to last: a year (the longest default TTL), leap day included. */
const MAX_ALERT_LIFETIME_MS = 366 * 24 * 3600 * 1000;

export type SendResult =
  | { dryRun: true; preview: TargetPreview }
  | { dryRun: false; alert: AlertView; recipients: number };

/**
 * Sending, updating and cancelling alerts. Each change is one transaction that stores the
 * alert, its recipients, an event for replay, an audit record and an outbox row; delivery
 * starts at the commit and the request does not wait for it: the sockets are written first,
 * then the push hand-off for every recipient runs (see AlertDeliveryService), and the outbox
 * row, marked done only after both, lets the sweep finish the work if the process dies.
 */
@Injectable()
export class AlertCommandsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertsRepository,
    private readonly recipients: RecipientsRepository,
    private readonly geometry: GeometryChecker,
    private readonly outbox: OutboxService,
    private readonly recorder: AlertEventRecorder,
    private readonly escalation: EscalationService,
    private readonly delivery: AlertDeliveryService,
  ) {}

  async send(principal: Principal, dto: CreateAlertDto): Promise<SendResult> {
    alertPolicy.canSend(principal);
    const areas = parseAreas(dto.areas);
    await this.geometry.assertSimple(areas);
    const groupIds = dto.groupIds ?? [];
    const backup = dto.escalation?.backupGroupId;
    await this.assertTargetableGroups(principal, backup ? [...groupIds, backup] : groupIds);
    const now = new Date();
    const expires = this.expiry(dto.expires, now);

    if (dto.dryRun) {
      const targets = await resolveTargets(
        this.dataSource.manager,
        { areas },
        this.targetQuery(principal, groupIds),
      );

      return { dryRun: true, preview: preview(targets) };
    }

    const { alert, userIds, entry } = await this.dataSource.transaction(async (manager) => {
      // CAP wants a sender and an identifier unique to it; ours derive from the agency and id.
      // Written at once: a placeholder would collide on the unique (agency, sender,
      // identifier) index with every other alert the agency sends meanwhile, and each would
      // wait for the previous one's commit.
      const id = randomUUID();
      await this.alerts.insert(
        manager,
        {
          agencyId: principal.agencyId,
          senderUserId: principal.userId,
          identifier: `urn:uuid:${id}`,
          sender: this.capSender(principal.agencyId),
          sent: now,
          status: dto.status ?? 'Actual',
          msgType: 'Alert',
          scope: dto.scope ?? 'Restricted',
          references: [],
          event: dto.event,
          headline: dto.headline,
          description: dto.description ?? null,
          instruction: dto.instruction ?? null,
          category: dto.category ?? ['Other'],
          severity: dto.severity,
          urgency: dto.urgency,
          certainty: dto.certainty,
          effective: now,
          onset: dto.onset ? new Date(dto.onset) : null,
          expires,
          groupIds,
          escalateAfterSeconds: dto.escalation?.afterSeconds ?? null,
          backupGroupId: backup ?? null,
        },
        areas,
        id,
      );
      const userIds = await this.recipients.insertTargeted(
        manager,
        id,
        targetsQuery({ alertId: id }, this.targetQuery(principal, groupIds)),
      );
      const recorded = await this.recorder.record(
        manager,
        principal,
        id,
        'alert.created',
        'alert.issued',
        { recipients: userIds.length },
        { owned: true },
      );

      return { ...recorded, userIds };
    });
    // The sockets are written from the ids in hand; the owned outbox row is the crash backup.
    this.delivery.deliverCommitted(entry, { name: 'alert.created', payload: alert, userIds });
    if (dto.escalation) {
      await this.escalation.schedule(alert.id, dto.escalation.afterSeconds * 1000);
    }

    return { dryRun: false, alert, recipients: userIds.length };
  }

  async update(principal: Principal, id: string, dto: UpdateAlertDto): Promise<AlertView> {
    assertMeaningfulUpdate(dto);
    const areas = dto.areas ? parseAreas(dto.areas) : undefined;
    if (areas) await this.geometry.assertSimple(areas);
    if (dto.groupIds) await this.assertTargetableGroups(principal, dto.groupIds);

    const { alert, entry } = await this.dataSource.transaction(async (manager) => {
      const current = await this.loadForChange(manager, principal, id);
      const now = new Date();
      const changes = updatedColumns(dto, this.expiry(dto.expires, now, current.expires));
      await this.alerts.update(manager, id, {
        ...changes,
        version: current.version + 1,
        seq: current.seq + 1,
        msg_type: 'Update',
        sent: now,
        identifier: `urn:uuid:${id}:${current.version + 1}`,
        references: JSON.stringify([...current.references, reference(current)]),
      });
      if (areas) await this.alerts.replaceAreas(manager, id, areas);
      const groupIds = dto.groupIds ?? current.groupIds;
      // Only who is missing matters here, not in which order they come.
      const targets = await resolveTargets(
        manager,
        { alertId: id },
        { ...this.targetQuery(principal, groupIds), byName: false },
      );
      await this.recipients.addMissing(manager, id, targets, current.seq + 1);

      return this.recordEvent(manager, principal, id, 'alert.updated', 'alert.updated', {
        fields: Object.keys(dto),
      });
    });
    this.outbox.dispatchInBackground([entry]);

    return alert;
  }

  async cancel(principal: Principal, id: string, given?: string): Promise<AlertView> {
    // A blank reason is no reason: the view says null rather than "".
    const reason = given?.trim() || null;
    const { alert, entry } = await this.dataSource.transaction(async (manager) => {
      const current = await this.loadForChange(manager, principal, id);
      await this.alerts.update(manager, id, {
        cancelled_at: new Date(),
        cancel_reason: reason,
        version: current.version + 1,
        seq: current.seq + 1,
        msg_type: 'Cancel',
        sent: new Date(),
        identifier: `urn:uuid:${id}:${current.version + 1}`,
        references: JSON.stringify([...current.references, reference(current)]),
      });

      return this.recordEvent(manager, principal, id, 'alert.cancelled', 'alert.cancelled', {
        reason,
      });
    });
    this.outbox.dispatchInBackground([entry]);

    return alert;
  }

  /** Appends the replay event, the audit record and the outbox row for the alert's new seq. */
  private recordEvent(
    manager: EntityManager,
    principal: Principal,
    id: string,
    eventName: string,
    auditAction: string,
    auditData: Record<string, unknown>,
  ): Promise<{ alert: AlertView; entry: OutboxEntry }> {
    return this.recorder.record(manager, principal, id, eventName, auditAction, auditData);
  }

  private async loadForChange(manager: EntityManager, principal: Principal, id: string) {
    await this.alerts.lock(manager, id);
    const current = await this.alerts.findById(manager, id);
    if (!current) throw notFound();
    // Another agency's alert answers 403 here, as issue 4 asks; reads of it answer 404.
    alertPolicy.canManage(principal, current);
    const state = alertState(current);
    if (state !== 'active') {
      throw new DomainError('conflict', 'alert.not_active', `the alert is ${state}`);
    }

    return current;
  }

  private expiry(text: string | undefined, now: Date, fallback?: Date): Date {
    const expires = text
      ? new Date(text)
      : (fallback ?? new Date(now.getTime() + this.config.alerts.defaultTtlMinutes * 60_000));
    if (expires.getTime() <= now.getTime()) {
      throw new DomainError(
        'invalid',
        'alert.expires_in_past',
        'expires must be after the time the alert is sent',
      );
    }
    // An alert that never expires stays on every map and in every catch-up for good.
    if (expires.getTime() > now.getTime() + MAX_ALERT_LIFETIME_MS) {
      throw new DomainError(
        'invalid',
        'alert.expires_too_far',
        'expires must be within a year of the time the alert is sent',
      );
    }

    return expires;
  }

  private targetQuery(principal: Principal, groupIds: string[]) {
    return {
      agencyId: principal.agencyId,
      groupIds,
      locationMaxAgeSeconds: this.config.alerts.locationMaxAgeMinutes * 60,
    };
  }

  /** A group may be targeted when the sender's agency owns it or has joined it. */
  private async assertTargetableGroups(principal: Principal, groupIds: string[]): Promise<void> {
    if (groupIds.length === 0) return;
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT g.id FROM groups g
        WHERE g.id = ANY($2::uuid[])
          AND (g.agency_id = $1 OR EXISTS (
                SELECT 1 FROM group_partners ga
                 WHERE ga.group_id = g.id AND ga.agency_id = $1 AND ga.status = 'active'))`,
      [principal.agencyId, groupIds],
    );
    const allowed = new Set(rows.map((row) => row.id));
    const refused = groupIds.filter((groupId) => !allowed.has(groupId));
    if (refused.length > 0) {
      throw new DomainError(
        'forbidden',
        'alert.group_forbidden',
        'these groups cannot be targeted by your agency',
        { groupIds: refused },
      );
    }
  }

  private capSender(agencyId: string): string {
    const host = new URL(this.config.http.publicUrl ?? 'http://localhost').hostname;

    return `${agencyId}@${host}`;
  }
}

function reference(alert: AlertRecord) {
  return { sender: alert.sender, identifier: alert.identifier, sent: alert.sent.toISOString() };
}

function updatedColumns(dto: UpdateAlertDto, expires: Date): Record<string, unknown> {
  const columns: Record<string, unknown> = { expires };
  const copy: [keyof UpdateAlertDto, string][] = [
    ['event', 'event'],
    ['headline', 'headline'],
    ['description', 'description'],
    ['instruction', 'instruction'],
    ['category', 'category'],
    ['severity', 'severity'],
    ['urgency', 'urgency'],
    ['certainty', 'certainty'],
    ['groupIds', 'group_ids'],
  ];
  for (const [field, column] of copy) {
    if (dto[field] !== undefined) columns[column] = dto[field];
  }
  if (dto.onset !== undefined) columns.onset = new Date(dto.onset);

  return columns;
}

function preview(targets: TargetRow[]): TargetPreview {
  const byReason: Record<TargetReason, number> = {
    group: 0,
    location: 0,
    jurisdiction: 0,
    backup: 0,
  };
  for (const target of targets) for (const reason of target.reasons) byReason[reason]++;

  return {
    count: targets.length,
    byReason,
    recipients: targets.map(({ userId, displayName, reasons }) => ({
      userId,
      displayName,
      reasons,
    })),
  };
}

/** Fields an update may change but not erase; description, instruction and onset may be null. */
const REQUIRED_FIELDS = ['event', 'headline', 'category', 'severity', 'urgency', 'certainty'];

function assertMeaningfulUpdate(dto: UpdateAlertDto): void {
  const given = Object.entries(dto).filter(([, value]) => value !== undefined);
  if (given.length === 0) {
    throw new DomainError('invalid', 'alert.empty_update', 'the update changes nothing');
  }
  const erased = given
    .filter(
      ([field, value]) =>
        value === null && [...REQUIRED_FIELDS, 'areas', 'groupIds', 'expires'].includes(field),
    )
    .map(([field]) => field);
  if (erased.length > 0) {
    throw new DomainError('invalid', 'alert.null_field', `${erased.join(', ')} cannot be null`);
  }
}

import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { JOB_QUEUE, type JobQueue } from '@tocsin/jobs';
import { OutboxService, type OutboxEntry } from '@tocsin/outbox';
import { PushService } from '@tocsin/push';
import { RealtimeService, rooms } from '@tocsin/realtime';
import { DataSource } from 'typeorm';
import { ALERT_EVENT_TOPIC, type AlertEventMessage } from './alert-events';
import { alertState, toAlertView } from './alert-record';
import { AlertsRepository } from './alerts.repository';
import { RecipientsRepository } from './recipients.repository';
import { groupMemberIds } from './targeting';

const ESCALATE_JOB = 'alert.escalate';
const ESCALATION_TOPIC = 'alert.escalation';

interface EscalationMessage {
  alertId: string;
  agencyId: string;
  silentUserIds: string[];
  [key: string]: unknown;
}

/**
 * Follows up silence: when an alert's escalation delay passes, recipients who have not
 * answered are notified again, the sending agency's staff are told who is silent, and the
 * backup group, if any, is alerted. Timers live in the job queue (Redis when configured);
 * at start, timers of alerts still waiting are scheduled again, so a restart loses none.
 */
@Injectable()
export class EscalationService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(EscalationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly outbox: OutboxService,
    private readonly realtime: RealtimeService,
    private readonly alerts: AlertsRepository,
    private readonly recipients: RecipientsRepository,
    private readonly audit: AuditService,
    private readonly push: PushService,
  ) {}

  onModuleInit(): void {
    this.queue.process<{ alertId: string }>(ESCALATE_JOB, (data) => this.escalate(data.alertId), {
      concurrency: 4,
    });
    this.outbox.on(ESCALATION_TOPIC, (payload) => this.announce(payload as EscalationMessage));
  }

  async onApplicationBootstrap(): Promise<void> {
    const waiting: { id: string; due_ms: number }[] = await this.dataSource.query(
      `SELECT id, GREATEST(0, EXTRACT(EPOCH FROM (
                sent + make_interval(secs => escalate_after_seconds) - now())) * 1000)::float8
                AS due_ms
         FROM alerts
        WHERE escalate_after_seconds IS NOT NULL AND escalated_at IS NULL
          AND cancelled_at IS NULL AND expires > now() AND version = 1`,
    );
    for (const row of waiting) await this.schedule(row.id, row.due_ms);
  }

  /** Sets the timer of a new alert. The job id makes a repeated call harmless. */
  async schedule(alertId: string, delayMs: number): Promise<void> {
    await this.queue.add(
      ESCALATE_JOB,
      { alertId },
      {
        delayMs,
        jobId: `escalate-${alertId}`,
        attempts: 5,
        backoff: { type: 'exponential', delayMs: 1000 },
      },
    );
  }

  private async escalate(alertId: string): Promise<void> {
    const entries = await this.dataSource.transaction(async (manager) => {
      await this.alerts.lock(manager, alertId);
      const alert = await this.alerts.findById(manager, alertId);
      if (!alert || alert.escalatedAt || alertState(alert) !== 'active') return [];

      const silentUserIds = await this.recipients.markSilentEscalated(manager, alertId);
      const backupIds = alert.backupGroupId
        ? await groupMemberIds(manager, alert.backupGroupId)
        : [];
      const backupTargets = backupIds.map((userId) => ({
        userId,
        displayName: '',
        reasons: ['backup' as const],
        viaGroupIds: [alert.backupGroupId as string],
      }));
      const addedBackup = await this.recipients.addMissing(
        manager,
        alertId,
        backupTargets,
        alert.seq,
      );
      await this.alerts.update(manager, alertId, { escalated_at: new Date() });
      await this.audit.record(manager, {
        agencyId: alert.agencyId,
        actorId: null,
        action: 'alert.escalated',
        targetType: 'alert',
        targetId: alertId,
        data: { silent: silentUserIds.length, backup: addedBackup.length },
      });

      const added: OutboxEntry[] = [
        await this.outbox.add(manager, ESCALATION_TOPIC, {
          alertId,
          agencyId: alert.agencyId,
          silentUserIds,
        } satisfies EscalationMessage),
      ];
      if (addedBackup.length > 0) {
        const message: AlertEventMessage = { alertId, seq: alert.seq, userIds: addedBackup };
        added.push(await this.outbox.add(manager, ALERT_EVENT_TOPIC, message));
      }

      return added;
    });
    await this.outbox.dispatch(entries);
  }

  private async announce(message: EscalationMessage): Promise<void> {
    const alert = await this.alerts.findById(this.dataSource.manager, message.alertId);
    if (!alert) return;
    const view = toAlertView(alert);
    this.realtime.emitToUsers(message.silentUserIds, 'alert.escalated', view);
    await this.push.notifyAlert(message.silentUserIds, {
      id: view.id,
      severity: view.severity,
      headline: `No answer yet: ${view.headline}`,
      summary: view.instruction ?? view.description ?? view.event,
      expires: new Date(view.expires),
      eventId: `${view.id}:escalation`,
    });
    this.realtime.emitToRoom(rooms.agencyStaff(message.agencyId), 'alert.silent', {
      alertId: message.alertId,
      userIds: message.silentUserIds,
    });
    this.logger.log(
      { alertId: message.alertId, silent: message.silentUserIds.length },
      'escalated',
    );
  }
}

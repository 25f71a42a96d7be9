import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { DomainError } from '@tocsin/common';
import type { AlertResponseEvent, ResponseStatus } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import { OutboxService } from '@tocsin/outbox';
import { RealtimeService, rooms } from '@tocsin/realtime';
import { DataSource } from 'typeorm';
import { alertPolicy } from './alert-policy';
import { alertState } from './alert-record';
import { AlertDeliveryService } from './alert-delivery.service';
import { AlertQueriesService } from './alert-queries.service';
import { RecipientsRepository } from './recipients.repository';

export const ALERT_RESPONSE_TOPIC = 'alert.response';

/** Recipients' answers, and acknowledgements of delivered events. */
@Injectable()
export class AlertResponsesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: AlertQueriesService,
    private readonly recipients: RecipientsRepository,
    private readonly delivery: AlertDeliveryService,
    private readonly outbox: OutboxService,
    private readonly realtime: RealtimeService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.outbox.on(ALERT_RESPONSE_TOPIC, async (payload) => {
      const event = payload as unknown as AlertResponseEvent & { agencyId: string };
      const { agencyId, ...response } = event;
      this.realtime.emitToRoom(rooms.agencyStaff(agencyId), 'alert.response', response);
    });
  }

  async respond(
    principal: Principal,
    alertId: string,
    status: ResponseStatus,
    etaMinutes: number | undefined,
  ): Promise<AlertResponseEvent> {
    const { alert, isRecipient } = await this.queries.loadReadable(principal, alertId);
    alertPolicy.canRespond(principal, alert, isRecipient);
    if (alertState(alert) !== 'active') {
      throw new DomainError('conflict', 'alert.not_active', `the alert is ${alertState(alert)}`);
    }
    if (etaMinutes !== undefined && status !== 'responding') {
      throw new DomainError(
        'invalid',
        'alert.eta_without_responding',
        'etaMinutes goes with responding',
      );
    }

    const { event, entry } = await this.dataSource.transaction(async (manager) => {
      const eta = status === 'responding' ? (etaMinutes ?? null) : null;
      const answered = await this.recipients.respond(
        manager,
        alertId,
        principal.userId,
        status,
        eta,
      );
      if (!answered) throw new DomainError('not_found', 'alert.not_found', 'no such alert');
      const response: AlertResponseEvent = {
        alertId,
        userId: principal.userId,
        displayName: answered.displayName,
        response: status,
        etaMinutes: eta,
        respondedAt: answered.respondedAt.toISOString(),
        tally: await this.recipients.tally(manager, alertId),
      };
      await this.audit.record(manager, {
        agencyId: principal.agencyId,
        actorId: principal.userId,
        action: 'alert.responded',
        targetType: 'alert',
        targetId: alertId,
        data: { response: status, etaMinutes: eta },
      });
      const added = await this.outbox.add(manager, ALERT_RESPONSE_TOPIC, {
        ...response,
        agencyId: alert.agencyId,
      });

      return { event: response, entry: added };
    });
    await this.outbox.dispatch([entry]);

    return event;
  }

  /** A client confirms it holds the alert's events up to `seq` (the socket `alert.ack`). */
  async acknowledge(principal: Principal, alertId: string, seq: number): Promise<{ seq: number }> {
    const { alert, isRecipient } = await this.queries.loadReadable(principal, alertId);
    alertPolicy.canRespond(principal, alert, isRecipient);
    if (seq > alert.seq) {
      throw new DomainError('invalid', 'alert.bad_ack', 'nothing to acknowledge at that seq');
    }
    this.delivery.acknowledge(alertId, principal.userId, seq);

    return { seq };
  }
}

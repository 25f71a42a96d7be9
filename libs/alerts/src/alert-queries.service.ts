import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AlertView, RecipientView, ResponseTally } from '@tocsin/contracts';
import type { Principal, SignedCaller } from '@tocsin/http';
import { admitLiveSession } from '@tocsin/identity';
import { PushService, type PushFigures } from '@tocsin/push';
import { DataSource } from 'typeorm';
import { alertPolicy, notFound } from './alert-policy';
import { toAlertView, type AlertRecord } from './alert-record';
import { AlertsRepository } from './alerts.repository';
import type { ListAlertsFilter } from './dto/list-alerts.query';
import { RecipientsRepository } from './recipients.repository';

/** Reading alerts, always through the policy: what a user may not see does not exist. */
@Injectable()
export class AlertQueriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly alerts: AlertsRepository,
    private readonly recipients: RecipientsRepository,
    private readonly push: PushService,
  ) {}

  async get(principal: Principal, id: string): Promise<AlertView> {
    const { alert } = await this.loadReadable(principal, id);

    return toAlertView(alert);
  }

  /** The alerts a user may see, as the JSON text of an array of views. */
  listJson(principal: Principal, filter: ListAlertsFilter): Promise<string> {
    return this.alerts.listViews(this.dataSource.manager, {
      agencyId: principal.agencyId,
      userId: principal.userId,
      bbox: filter.bbox,
      state: filter.state,
      limit: filter.limit ?? 200,
    });
  }

  /**
   * {@link listJson} for the caller a token names, whose session is checked in the same
   * statement: refused as the guard would (401 session not live, 403 temporary password).
   */
  async listJsonOfSession(
    caller: SignedCaller,
    filter: ListAlertsFilter,
  ): Promise<{ principal: Principal; body: string }> {
    const found = await this.alerts.listViewsOfSession(this.dataSource.manager, caller, {
      bbox: filter.bbox,
      state: filter.state,
      limit: filter.limit ?? 200,
    });
    const principal = admitLiveSession(found);

    // Admitted means a live row without a password to change: the list was built.
    return { principal, body: found?.body ?? '[]' };
  }

  async recipientsOf(
    principal: Principal,
    id: string,
  ): Promise<{ tally: ResponseTally; recipients: RecipientView[]; push: PushFigures }> {
    const { alert, isRecipient } = await this.loadReadable(principal, id);
    alertPolicy.canSeeRecipients(principal, alert, isRecipient);
    const manager = this.dataSource.manager;

    return {
      tally: await this.recipients.tally(manager, id),
      recipients: await this.recipients.list(manager, id),
      // Sent, failed, removed, pending, and the time from the alert to the push accepted.
      push: await this.push.figures({ kind: 'alert', id }),
    };
  }

  /** Loads an alert the user may read, or throws 404. */
  async loadReadable(
    principal: Principal,
    id: string,
  ): Promise<{ alert: AlertRecord; isRecipient: boolean }> {
    const manager = this.dataSource.manager;
    const alert = await this.alerts.findById(manager, id);
    if (!alert) throw notFound();
    const isRecipient = await this.recipients.isRecipient(manager, id, principal.userId);
    alertPolicy.canRead(principal, alert, isRecipient);

    return { alert, isRecipient };
  }
}

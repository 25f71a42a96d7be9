import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { buildPublicAtomFeed, exportCap, type CapAlert } from '@tocsin/cap';
import type { Principal } from '@tocsin/http';
import { DataSource } from 'typeorm';
import { notFound } from '../alert-policy';
import { AlertQueriesService } from '../alert-queries.service';
import type { AlertRecord } from '../alert-record';
import { AlertsRepository, listPublicActive } from '../alerts.repository';
import { nativeToCap } from './cap-mapping';
import { CapRepository } from './cap.repository';

/** Entries in the public feed, newest first. */
const PUBLIC_FEED_LIMIT = 200;

/**
 * CAP 1.2 out: an alert as the message that produced its current version (an imported one
 * exactly as received, every info and area included), or mapped from its columns (native
 * alerts, and imported ones changed in Tocsin since). The public Atom feed lists active
 * Public alerts of every agency; their CAP is readable without login, nothing else is.
 */
@Injectable()
export class CapExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: AlertQueriesService,
    private readonly alerts: AlertsRepository,
    private readonly caps: CapRepository,
  ) {}

  /** Same visibility as GET /api/alerts/:id. */
  async exportFor(principal: Principal, id: string): Promise<string> {
    const { alert } = await this.queries.loadReadable(principal, id);

    return exportCap(await this.capOf(alert));
  }

  /** A Public alert's CAP for anyone; any other alert does not exist here. */
  async exportPublic(id: string): Promise<string> {
    const alert = await this.alerts.findById(this.dataSource.manager, id);
    if (!alert || alert.scope !== 'Public' || alert.status === 'Draft') throw notFound();

    return exportCap(await this.capOf(alert));
  }

  async publicFeed(baseUrl: string): Promise<string> {
    const alerts = await listPublicActive(this.dataSource.manager, PUBLIC_FEED_LIMIT);

    return buildPublicAtomFeed({
      feedUrl: `${baseUrl}/api/feeds/public.atom`,
      title: 'Tocsin public alerts',
      entries: alerts.map((alert) => ({
        id: alert.id,
        title: alert.headline,
        updated: alert.updatedAt,
        published: alert.createdAt,
        summary: alert.description ?? undefined,
        capUrl: `${baseUrl}/api/feeds/alerts/${alert.id}.cap`,
        author: alert.sender,
      })),
    });
  }

  /** What an alert looks like in CAP: for tests and the command line as well. */
  async capOf(alert: AlertRecord): Promise<CapAlert> {
    const stored = await this.caps.storedMessage(this.dataSource.manager, alert.id);

    return stored && stored.version === alert.version ? stored.cap : nativeToCap(alert);
  }
}

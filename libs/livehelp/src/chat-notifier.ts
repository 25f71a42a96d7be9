import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PushMode, VisitorSessionView } from '@tocsin/contracts';
import { DataSource } from 'typeorm';
import { LiveHelpEvents, livehelpRooms } from './livehelp-events';
import { LiveHelpSettingsService } from './settings.service';
import { toChatView, VisitorsStore, type VisitorRow } from './visitors.store';

/** Tells both sides, after a commit, that a chat or the agency's queue changed. */
@Injectable()
export class ChatNotifier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: VisitorsStore,
    private readonly events: LiveHelpEvents,
    private readonly settings: LiveHelpSettingsService,
  ) {}

  /** The agency's whole waiting queue to its representatives. */
  async queue(agencyId: string): Promise<void> {
    const waiting = await this.store.waiting(this.dataSource.manager, agencyId);
    this.events.emit(livehelpRooms.staff(agencyId), 'livehelp.queue', {
      waiting: waiting.map((row) => toChatView(row)),
    });
  }

  /** The chat's new state to the representatives following it and to the visitor. */
  async chat(visitorId: string, alsoTo: string[] = []): Promise<void> {
    const row = await this.store.byId(this.dataSource.manager, visitorId);
    if (!row) return;
    const rooms = [
      livehelpRooms.chat(row.conversation_id),
      ...alsoTo.map(livehelpRooms.representative),
    ];
    this.events.namespace.to(rooms).emit('livehelp.chat', toChatView(row));
    const settings = await this.settings.of(row.agency_id);
    this.events.emit(
      livehelpRooms.visitor(row.id),
      'livehelp.session',
      await this.sessionView(row, settings.pushMode),
    );
  }

  async sessionView(row: VisitorRow, pushMode: PushMode): Promise<VisitorSessionView> {
    const [agency] = (await this.dataSource.query('SELECT name FROM agencies WHERE id = $1', [
      row.agency_id,
    ])) as { name: string }[];

    return {
      visitorId: row.id,
      conversationId: row.conversation_id,
      agencyId: row.agency_id,
      agencyName: agency?.name ?? '',
      name: row.name,
      topic: row.topic,
      status: row.status,
      representativeName: row.representative_name,
      pushMode,
    };
  }
}

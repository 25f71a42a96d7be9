import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { DomainError } from '@tocsin/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import type { CannedAnswer, LiveHelpChatView, MessageView } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import { ManagedConversationsService, MessagesService } from '@tocsin/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { ChatNotifier } from './chat-notifier';
import { livehelpErrors } from './errors';
import { LiveHelpEvents, livehelpRooms } from './livehelp-events';
import { assertRepresentative, isRepresentative, REPRESENTATIVE_ROLES } from './representatives';
import { LiveHelpSettingsService } from './settings.service';
import { isAllowedPushUrl } from './url-policy';
import { toChatView, VisitorsStore, type VisitorRow } from './visitors.store';

/**
 * The representatives' side: the queue, accepting, transferring, closing and blocking, and
 * pushing a page. A representative is a member of the chat's conversation while holding it,
 * so reading and sending go through the chat library's own checks.
 */
@Injectable()
export class RepresentativesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: VisitorsStore,
    private readonly conversations: ManagedConversationsService,
    private readonly messages: MessagesService,
    private readonly settings: LiveHelpSettingsService,
    private readonly events: LiveHelpEvents,
    private readonly notifier: ChatNotifier,
    private readonly audit: AuditService,
  ) {}

  async overview(principal: Principal) {
    assertRepresentative(principal);
    const manager = this.dataSource.manager;
    const [waiting, mine] = await Promise.all([
      this.store.waiting(manager, principal.agencyId),
      this.store.assigned(manager, principal.userId),
    ]);

    return {
      waiting: waiting.map((row) => toChatView(row)),
      mine: mine.map((row) => toChatView(row)),
    };
  }

  /** The agency's representatives, for transfers. */
  async colleagues(principal: Principal): Promise<{ id: string; displayName: string }[]> {
    assertRepresentative(principal);
    const rows = (await this.dataSource.query(
      `SELECT id, display_name FROM users
        WHERE agency_id = $1 AND role = ANY($2::text[]) AND disabled_at IS NULL
        ORDER BY display_name LIMIT 500`,
      [principal.agencyId, REPRESENTATIVE_ROLES],
    )) as { id: string; display_name: string }[];

    return rows.map((row) => ({ id: row.id, displayName: row.display_name }));
  }

  async cannedAnswers(principal: Principal): Promise<CannedAnswer[]> {
    assertRepresentative(principal);

    return (await this.settings.of(principal.agencyId)).cannedAnswers;
  }

  async accept(principal: Principal, conversationId: string): Promise<LiveHelpChatView> {
    const { row, added } = await this.change(principal, conversationId, async (manager, row) => {
      if (row.status === 'active' && row.representative_id === principal.userId) return [];
      if (row.status === 'active') throw livehelpErrors.alreadyTaken();
      await this.store.update(manager, row.id, {
        status: 'active',
        representativeId: principal.userId,
        accepted: true,
      });
      await this.record(manager, principal, 'livehelp.accepted', row, {});

      return this.conversations.addMembers(
        manager,
        conversationId,
        [principal.userId],
        principal.userId,
      );
    });
    this.conversations.announce(conversationId, added, []);
    this.events.follow([principal.userId], conversationId, true);
    await this.notifier.chat(row.id);
    await this.notifier.queue(principal.agencyId);

    return this.chatView(row.id);
  }

  async transfer(principal: Principal, conversationId: string, userId: string) {
    let previous: string | null = null;
    const { row } = await this.change(principal, conversationId, async (manager, row) => {
      this.assertHolder(principal, row);
      if (userId === row.representative_id) {
        throw livehelpErrors.invalid('livehelp.transfer_self', 'they already hold this chat');
      }
      await this.assertColleague(manager, principal.agencyId, userId);
      previous = row.representative_id;
      await this.store.update(manager, row.id, { representativeId: userId, accepted: true });
      await this.conversations.addMembers(manager, conversationId, [userId], principal.userId);
      if (previous) {
        await this.conversations.removeMembers(
          manager,
          conversationId,
          [previous],
          principal.userId,
        );
      }
      await this.record(manager, principal, 'livehelp.transferred', row, {
        from: previous,
        to: userId,
      });

      return [];
    });
    this.conversations.announce(conversationId, [userId], previous ? [previous] : []);
    if (previous) this.events.follow([previous], conversationId, false);
    this.events.follow([userId], conversationId, true);
    await this.notifier.chat(row.id, [userId, ...(previous ? [previous] : [])]);

    return this.chatView(row.id);
  }

  async close(principal: Principal, conversationId: string): Promise<LiveHelpChatView> {
    const { row } = await this.change(principal, conversationId, async (manager, row) => {
      if (row.status === 'active') this.assertHolder(principal, row);
      await this.store.update(manager, row.id, { status: 'closed', closed: true });
      await this.record(manager, principal, 'livehelp.closed', row, { by: 'representative' });

      return [];
    });
    await this.notifier.chat(row.id);
    await this.notifier.queue(principal.agencyId);

    return this.chatView(row.id);
  }

  /** Ends the chat, kills the visitor's token and refuses new chats from their address. */
  async block(principal: Principal, conversationId: string, minutes?: number) {
    const until = new Date(Date.now() + (minutes ?? this.config.livehelp.blockMinutes) * 60_000);
    const { row } = await this.change(
      principal,
      conversationId,
      async (manager, row) => {
        await this.store.update(manager, row.id, { status: 'closed', closed: true, blocked: true });
        await this.store.addBlock(manager, {
          agencyId: row.agency_id,
          address: row.address,
          visitorId: row.id,
          by: principal.userId,
          until,
        });
        await this.record(manager, principal, 'livehelp.blocked', row, {
          until: until.toISOString(),
        });

        return [];
      },
      true,
    );
    this.events.disconnectVisitor(row.id);
    await this.notifier.chat(row.id);
    await this.notifier.queue(principal.agencyId);

    return this.chatView(row.id);
  }

  /** Sends a page from the allow-list; the visitor's widget opens it after a notice. */
  async pushPage(principal: Principal, conversationId: string, link: string) {
    const row = await this.held(principal, conversationId);
    const settings = await this.settings.of(principal.agencyId);
    const url = isAllowedPushUrl(link, settings.pushPrefixes);
    if (!url) throw livehelpErrors.pushRefused(link);

    const message = await this.messages.send(principal, conversationId, {
      clientId: `push-${randomUUID()}`,
      body: `Opening a page for you: ${url}`,
    });
    await this.audit.record(this.dataSource.manager, {
      agencyId: principal.agencyId,
      actorId: principal.userId,
      action: 'livehelp.page_pushed',
      targetType: 'conversation',
      targetId: conversationId,
      data: { visitorId: row.id, url },
    });
    // TODO: the push event is sent once, after the notice message commits; a visitor whose
    // socket is down at that moment sees the notice with its link but is not navigated.
    this.events.emit(livehelpRooms.visitor(row.id), 'livehelp.push', {
      url,
      mode: settings.pushMode,
      notice: `${message.senderName ?? 'The representative'} is opening a page for you`,
    });

    return { url, mode: settings.pushMode, message };
  }

  async send(
    principal: Principal,
    conversationId: string,
    input: { clientId: string; body: string },
  ): Promise<MessageView> {
    await this.held(principal, conversationId);

    return this.messages.send(principal, conversationId, input);
  }

  /** A chat the caller holds and that is still open. */
  private async held(principal: Principal, conversationId: string): Promise<VisitorRow> {
    assertRepresentative(principal);
    const row = await this.store.byConversation(
      this.dataSource.manager,
      principal.agencyId,
      conversationId,
    );
    if (!row) throw livehelpErrors.chatNotFound();
    if (row.status === 'closed') throw livehelpErrors.closed();
    if (row.representative_id !== principal.userId) throw livehelpErrors.notYours();

    return row;
  }

  /**
   * One locked change to an open chat of the caller's agency; returns the row and members added.
   */
  private async change(
    principal: Principal,
    conversationId: string,
    apply: (manager: EntityManager, row: VisitorRow) => Promise<string[]>,
    allowBlockedLater = false,
  ): Promise<{ row: VisitorRow; added: string[] }> {
    assertRepresentative(principal);

    return this.dataSource.transaction(async (manager) => {
      const row = await this.store.byConversation(
        manager,
        principal.agencyId,
        conversationId,
        true,
      );
      if (!row) throw livehelpErrors.chatNotFound();
      if (row.status === 'closed' && !(allowBlockedLater && !row.blocked_at)) {
        throw livehelpErrors.closed();
      }
      const added = await apply(manager, row);

      return { row, added };
    });
  }

  private assertHolder(principal: Principal, row: VisitorRow): void {
    if (row.representative_id !== principal.userId && principal.role !== 'admin') {
      throw livehelpErrors.notYours();
    }
  }

  private async assertColleague(manager: EntityManager, agencyId: string, userId: string) {
    const rows = (await manager.query(
      'SELECT role FROM users WHERE id = $1 AND agency_id = $2 AND disabled_at IS NULL',
      [userId, agencyId],
    )) as { role: string }[];
    if (!rows[0]) throw new DomainError('not_found', 'user.not_found', 'no such user');
    if (!isRepresentative(rows[0].role)) {
      throw livehelpErrors.invalid(
        'livehelp.not_representative',
        'chats go to dispatchers and administrators',
      );
    }
  }

  private async chatView(visitorId: string): Promise<LiveHelpChatView> {
    return toChatView((await this.store.byId(this.dataSource.manager, visitorId))!);
  }

  private record(
    manager: EntityManager,
    principal: Principal,
    action: string,
    row: VisitorRow,
    data: Record<string, unknown>,
  ) {
    return this.audit.record(manager, {
      agencyId: principal.agencyId,
      actorId: principal.userId,
      action,
      targetType: 'conversation',
      targetId: row.conversation_id,
      data: { visitorId: row.id, ...data },
    });
  }
}

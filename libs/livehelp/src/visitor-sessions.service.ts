import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import type { VisitorMessageView, VisitorSessionResponse } from '@tocsin/contracts';
import { ManagedConversationsService } from '@tocsin/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { AbuseLimits } from './abuse-limits';
import { ChatNotifier } from './chat-notifier';
import type { StartVisitorDto } from './dto/visitor.dto';
import { livehelpErrors } from './errors';
import { visitorView } from './livehelp-events';
import { LiveHelpSettingsService } from './settings.service';
import { parseOrigin } from './url-policy';
import { hashVisitorToken, newVisitorToken, type VisitorPrincipal } from './visitor-token';
import { VisitorsStore, type VisitorRow } from './visitors.store';

const HISTORY_LIMIT = 200;

/**
 * The visitor's side: start a chat from an allowed site, prove the token, resume after a
 * reload, read and send messages, leave. A closed chat never opens again for its token.
 */
@Injectable()
export class VisitorSessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: VisitorsStore,
    private readonly settings: LiveHelpSettingsService,
    private readonly conversations: ManagedConversationsService,
    private readonly limits: AbuseLimits,
    private readonly notifier: ChatNotifier,
    private readonly audit: AuditService,
  ) {}

  async start(
    dto: StartVisitorDto,
    originHeader: string | undefined,
    address: string,
  ): Promise<VisitorSessionResponse> {
    await this.limits.request(address);
    const origin = originHeader === undefined ? undefined : parseOrigin(originHeader);
    const settings = await this.settings.of(dto.agencyId);
    if (!origin || !settings.allowedOrigins.includes(origin)) throw livehelpErrors.originRefused();
    if (await this.store.isBlocked(this.dataSource.manager, dto.agencyId, address)) {
      throw livehelpErrors.blocked();
    }
    await this.limits.session(address);
    const name = dto.name?.trim() || null;
    const topic = dto.topic?.trim() || null;
    const { token, hash } = newVisitorToken();

    const visitorId = await this.dataSource.transaction(async (manager) => {
      const conversationId = await this.conversations.open(manager, {
        kind: 'livehelp',
        agencyId: dto.agencyId,
        title: `Live Help: ${name ?? 'visitor'}`,
      });
      const id = await this.store.insert(manager, {
        agencyId: dto.agencyId,
        conversationId,
        name,
        topic,
        origin,
        address,
        tokenHash: hash,
        expiresAt: this.expiry(),
      });
      await this.audit.record(manager, {
        agencyId: dto.agencyId,
        actorId: null,
        action: 'livehelp.visitor_started',
        targetType: 'conversation',
        targetId: conversationId,
        data: { visitorId: id, origin },
      });

      return id;
    });
    await this.notifier.queue(dto.agencyId);

    return this.response(token, visitorId);
  }

  /** The visitor behind a token; 401 unless it is live, and 403 from another site. */
  async authenticate(token: unknown, originHeader?: string): Promise<VisitorPrincipal> {
    const hash = hashVisitorToken(token);
    const row = hash && (await this.store.byTokenHash(this.dataSource.manager, hash));
    if (!row || row.blocked_at || row.token_expires_at.getTime() <= Date.now()) {
      throw livehelpErrors.visitorToken();
    }
    if (originHeader !== undefined && parseOrigin(originHeader) !== row.origin) {
      throw livehelpErrors.originRefused();
    }

    return {
      visitorId: row.id,
      conversationId: row.conversation_id,
      agencyId: row.agency_id,
      origin: row.origin,
      name: row.name,
      closed: row.status === 'closed',
      expiresAt: row.token_expires_at.getTime(),
    };
  }

  /** After a reload: the chat and its messages, and the token's life extended. */
  async resume(visitor: VisitorPrincipal, token: string): Promise<VisitorSessionResponse> {
    if (visitor.closed) throw livehelpErrors.closed();
    await this.store.update(this.dataSource.manager, visitor.visitorId, {
      expiresAt: this.expiry(),
    });

    return this.response(token, visitor.visitorId);
  }

  async messages(visitor: VisitorPrincipal, afterSeq: number): Promise<VisitorMessageView[]> {
    const messages = await this.conversations.after(
      this.dataSource.manager,
      visitor.conversationId,
      afterSeq,
      HISTORY_LIMIT,
    );

    return messages.map(visitorView);
  }

  async send(
    visitor: VisitorPrincipal,
    input: { clientId: string; body: string },
  ): Promise<VisitorMessageView> {
    if (visitor.closed) throw livehelpErrors.closed();
    const max = this.config.livehelp.messageMaxLength;
    if (input.body.length > max) throw livehelpErrors.tooLong(max, input.body.length);
    await this.limits.message(visitor.visitorId);

    const { message, entry } = await this.dataSource.transaction(async (manager) => {
      const row = await this.openChat(manager, visitor.visitorId);

      return this.conversations.appendOutside(
        manager,
        row.conversation_id,
        { label: `${row.name ?? 'Visitor'} (visitor)`, agencyId: row.agency_id },
        input,
      );
    });
    await this.conversations.dispatch(entry);

    return visitorView(message);
  }

  /** The visitor ends the chat; the token then only reads it. */
  async leave(visitor: VisitorPrincipal): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.openChat(manager, visitor.visitorId);
      await this.store.update(manager, row.id, { status: 'closed', closed: true });
      await this.audit.record(manager, {
        agencyId: row.agency_id,
        actorId: null,
        action: 'livehelp.closed',
        targetType: 'conversation',
        targetId: row.conversation_id,
        data: { visitorId: row.id, by: 'visitor' },
      });
    });
    await this.notifier.chat(visitor.visitorId);
    await this.notifier.queue(visitor.agencyId);
  }

  private async openChat(manager: EntityManager, visitorId: string): Promise<VisitorRow> {
    const row = await this.store.byId(manager, visitorId, true);
    if (!row || row.blocked_at) throw livehelpErrors.visitorToken();
    if (row.status === 'closed') throw livehelpErrors.closed();

    return row;
  }

  private async response(token: string, visitorId: string): Promise<VisitorSessionResponse> {
    const manager = this.dataSource.manager;
    const row = (await this.store.byId(manager, visitorId))!;
    const settings = await this.settings.of(row.agency_id);
    const messages = await this.conversations.after(manager, row.conversation_id, 0, HISTORY_LIMIT);

    return {
      token,
      expiresAt: row.token_expires_at.toISOString(),
      session: await this.notifier.sessionView(row, settings.pushMode),
      messages: messages.map(visitorView),
    };
  }

  private expiry(): Date {
    return new Date(Date.now() + this.config.livehelp.visitorTokenTtlSeconds * 1000);
  }
}

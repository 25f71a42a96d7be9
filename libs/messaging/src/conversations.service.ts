import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { DomainError } from '@tocsin/common';
import type { ConversationMemberView, ConversationView } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import { DataSource, type EntityManager } from 'typeorm';
import { ConversationAccess, incidentMemberIds } from './conversation-access';
import { ConversationStore, type NewConversation } from './conversation-store';
import type { AddMemberDto, CreateConversationDto } from './dto/conversation.dto';
import { messagingErrors } from './errors';
import { MembershipService, type MembershipChange } from './membership.service';
import { MessagingPolicyService } from './policy.service';

const STAFF = ['admin', 'dispatcher'];

/** Creating conversations of each kind, listing them, and managing ad hoc members. */
@Injectable()
export class ConversationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: ConversationStore,
    private readonly access: ConversationAccess,
    private readonly membership: MembershipService,
    private readonly policies: MessagingPolicyService,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, dto: CreateConversationDto): Promise<ConversationView> {
    const plan = await this.plan(principal, dto);

    const { id, change, view } = await this.dataSource.transaction(async (manager) => {
      const existing =
        plan.unique && (await this.store.findBy(manager, plan.unique[0], plan.unique[1]));
      let conversationId = existing ? existing.id : await this.store.insert(manager, plan.input);
      // Lost a race with another creator of the same group, alert or pair: use theirs.
      conversationId ??= (await this.store.findBy(manager, plan.unique![0], plan.unique![1]))!.id;
      const conversation = (await this.store.find(manager, conversationId, true))!;
      if (!existing) {
        await this.audit.record(manager, {
          agencyId: conversation.agencyId,
          actorId: principal.userId,
          action: 'conversation.created',
          targetType: 'conversation',
          targetId: conversation.id,
          data: {
            kind: conversation.kind,
            groupId: plan.input.groupId ?? null,
            alertId: plan.input.alertId ?? null,
          },
        });
      }
      const memberIds = await plan.members(manager);
      const added = await this.membership.add(manager, conversation, memberIds, principal.userId);
      // Staff who open a group's conversation without being in the group get its description.
      const view = memberIds.includes(principal.userId)
        ? undefined
        : await this.store.view(manager, conversation);

      return {
        id: conversation.id,
        view,
        change: { conversationId: conversation.id, added, removed: [] },
      };
    });
    this.membership.announce(change);

    return view ?? this.get(principal, id);
  }

  list(principal: Principal): Promise<ConversationView[]> {
    return this.store.listFor(this.dataSource.manager, principal.userId);
  }

  async get(principal: Principal, id: string): Promise<ConversationView> {
    return this.dataSource.transaction(async (manager) => {
      const { conversation } = await this.access.member(manager, principal, id);
      const views = await this.store.listFor(manager, principal.userId);

      return views.find((view) => view.id === id) ?? this.store.view(manager, conversation);
    });
  }

  async members(principal: Principal, id: string): Promise<ConversationMemberView[]> {
    const manager = this.dataSource.manager;
    await this.access.member(manager, principal, id);
    const rows = (await manager.query(
      `SELECT cm.user_id, cm.agency_id, u.display_name, cm.joined_seq, cm.delivered_seq,
              cm.read_seq
         FROM conversation_members cm JOIN users u ON u.id = cm.user_id
        WHERE cm.conversation_id = $1 AND cm.left_seq IS NULL ORDER BY u.display_name`,
      [id],
    )) as Record<string, string>[];

    return rows.map((row) => ({
      userId: row.user_id,
      agencyId: row.agency_id,
      displayName: row.display_name,
      joinedSeq: Number(row.joined_seq),
      deliveredSeq: Number(row.delivered_seq),
      readSeq: Number(row.read_seq),
    }));
  }

  /** Adds a member to an interagency conversation: its agency's dispatchers and admins. */
  async addMember(principal: Principal, id: string, dto: AddMemberDto): Promise<void> {
    const change = await this.dataSource.transaction(async (manager) => {
      const { conversation } = await this.access.member(manager, principal, id, true);
      this.assertManages(principal, conversation.kind, conversation.agencyId);
      const [user] = await this.reachableUsers(manager, principal, [dto.userId]);
      await this.assertInteragencyAllowed(manager, principal.agencyId, [user]);
      const added = await this.membership.add(manager, conversation, [user.id], principal.userId);

      return { conversationId: id, added, removed: [] };
    });
    this.membership.announce(change);
  }

  /** Removes a member (the managers above), or the caller leaves (any ad hoc conversation). */
  async removeMember(principal: Principal, id: string, userId: string): Promise<void> {
    const change: MembershipChange = await this.dataSource.transaction(async (manager) => {
      const { conversation } = await this.access.member(manager, principal, id, true);
      if (userId !== principal.userId) {
        this.assertManages(principal, conversation.kind, conversation.agencyId);
      } else if (conversation.kind === 'group') {
        throw groupManaged();
      }
      const removed = await this.membership.remove(
        manager,
        conversation,
        [userId],
        principal.userId,
      );
      if (removed.length === 0) {
        throw messagingErrors.invalid('conversation.not_member', 'not a member');
      }

      return { conversationId: id, added: [], removed };
    });
    this.membership.announce(change);
  }

  private assertManages(principal: Principal, kind: string, agencyId: string): void {
    if (kind === 'group') throw groupManaged();
    if (kind !== 'interagency') {
      throw new DomainError(
        'forbidden',
        'conversation.members_forbidden',
        `the members of this ${kind} conversation follow from it and are not changed by hand`,
      );
    }
    if (agencyId !== principal.agencyId || !STAFF.includes(principal.role)) {
      throw new DomainError(
        'forbidden',
        'conversation.members_forbidden',
        "only the creating agency's dispatchers and admins change an interagency conversation",
      );
    }
  }

  /** Works out, before any write, what the new conversation is and who belongs in it. */
  private async plan(
    principal: Principal,
    dto: CreateConversationDto,
  ): Promise<{
    input: NewConversation;
    unique: readonly ['group_id' | 'alert_id' | 'direct_key', string] | undefined;
    members: (manager: EntityManager) => Promise<string[]>;
  }> {
    const manager = this.dataSource.manager;
    const base = { kind: dto.kind, agencyId: principal.agencyId, createdBy: principal.userId };
    const refuseFields = (fields: (keyof CreateConversationDto)[]) => {
      const present = fields.filter((field) => dto[field] !== undefined);
      if (present.length > 0) {
        throw messagingErrors.invalid('conversation.fields', `not used with kind ${dto.kind}`, {
          fields: present,
        });
      }
    };

    switch (dto.kind) {
      case 'group': {
        refuseFields(['memberIds', 'alertId']);
        if (!dto.groupId) {
          throw messagingErrors.invalid('conversation.group_required', 'groupId is required');
        }
        const group = await this.visibleGroup(manager, principal, dto.groupId);
        const groupId = dto.groupId;
        const input: NewConversation = {
          ...base,
          agencyId: group.agency_id,
          groupId,
          title: dto.title ?? group.name,
        };

        return {
          input,
          unique: ['group_id', groupId] as const,
          members: async (tx: EntityManager) => {
            const rows = (await tx.query(
              `SELECT m.user_id FROM group_members m JOIN users u ON u.id = m.user_id
                WHERE m.group_id = $1 AND u.disabled_at IS NULL`,
              [groupId],
            )) as { user_id: string }[];

            return rows.map((row) => row.user_id);
          },
        };
      }
      case 'incident': {
        refuseFields(['memberIds', 'groupId']);
        if (!dto.alertId) {
          throw messagingErrors.invalid('conversation.alert_required', 'alertId is required');
        }
        const alertId = dto.alertId;
        const rows = (await manager.query('SELECT agency_id, headline FROM alerts WHERE id = $1', [
          alertId,
        ])) as { agency_id: string; headline: string }[];
        const alert = rows[0];
        const eligible = alert ? await incidentMemberIds(manager, alertId, alert.agency_id) : [];
        if (!alert || !eligible.includes(principal.userId)) {
          refuseIncident(principal, alert?.agency_id);
        }

        return {
          input: {
            ...base,
            agencyId: alert.agency_id,
            alertId,
            title: dto.title ?? alert.headline,
          },
          unique: ['alert_id', alertId] as const,
          members: (tx: EntityManager) => incidentMemberIds(tx, alertId, alert.agency_id),
        };
      }
      case 'direct': {
        refuseFields(['groupId', 'alertId']);
        const other = dto.memberIds?.filter((id) => id !== principal.userId) ?? [];
        if (other.length !== 1 || (dto.memberIds?.length ?? 0) > 2) {
          throw messagingErrors.invalid(
            'conversation.direct_members',
            'name exactly one other user',
          );
        }
        const users = await this.reachableUsers(manager, principal, other);
        if (users[0].agencyId !== principal.agencyId) {
          throw messagingErrors.invalid(
            'conversation.direct_cross_agency',
            'direct conversations are within one agency; use an interagency conversation',
          );
        }
        if (!(await this.policies.of(principal.agencyId, manager)).allowDirect) {
          throw messagingErrors.policyForbids('direct conversations');
        }
        const pair = [principal.userId, other[0]].sort();

        return {
          input: { ...base, title: dto.title ?? null, directKey: pair.join(':') },
          unique: ['direct_key', pair.join(':')] as const,
          members: () => Promise.resolve(pair),
        };
      }
      case 'interagency': {
        refuseFields(['groupId', 'alertId']);
        if (!STAFF.includes(principal.role)) {
          throw new DomainError(
            'forbidden',
            'conversation.create_forbidden',
            'dispatchers and admins open interagency conversations',
          );
        }
        if (!dto.title) {
          throw messagingErrors.invalid('conversation.title_required', 'title is required');
        }
        const ids = [...new Set([principal.userId, ...(dto.memberIds ?? [])])];
        const users = await this.reachableUsers(manager, principal, ids);
        await this.assertInteragencyAllowed(manager, principal.agencyId, users);

        return {
          input: { ...base, title: dto.title },
          unique: undefined,
          members: () => Promise.resolve(users.map((user) => user.id)),
        };
      }
    }
  }

  /** A group the caller's agency owns or has joined; the caller is staff or a member. */
  private async visibleGroup(manager: EntityManager, principal: Principal, groupId: string) {
    const rows = (await manager.query(
      `SELECT g.agency_id, g.name,
              EXISTS (SELECT 1 FROM group_members m
                       WHERE m.group_id = g.id AND m.user_id = $3) AS is_member
         FROM groups g
        WHERE g.id = $1 AND (g.agency_id = $2 OR EXISTS (
                SELECT 1 FROM group_partners p
                 WHERE p.group_id = g.id AND p.agency_id = $2 AND p.status = 'active'))`,
      [groupId, principal.agencyId, principal.userId],
    )) as { agency_id: string; name: string; is_member: boolean }[];
    const group = rows[0];
    if (!group) throw new DomainError('not_found', 'group.not_found', 'no such group');
    if (!group.is_member && !STAFF.includes(principal.role)) {
      throw new DomainError(
        'forbidden',
        'conversation.create_forbidden',
        "a group's conversation is opened by its members or by dispatchers and admins",
      );
    }

    return group;
  }

  /** Enabled users of the caller's agency or of agencies sharing an interagency group with it. */
  private async reachableUsers(manager: EntityManager, principal: Principal, ids: string[]) {
    const rows = (await manager.query(
      `SELECT u.id, u.agency_id FROM users u
        WHERE u.id = ANY($1::uuid[]) AND u.disabled_at IS NULL
          AND (u.agency_id = $2 OR EXISTS (
                SELECT 1 FROM groups g
                 WHERE g.interagency
                   AND (g.agency_id = $2 OR EXISTS (SELECT 1 FROM group_partners p
                         WHERE p.group_id = g.id AND p.agency_id = $2 AND p.status = 'active'))
                   AND (g.agency_id = u.agency_id OR EXISTS (SELECT 1 FROM group_partners p
                         WHERE p.group_id = g.id AND p.agency_id = u.agency_id
                           AND p.status = 'active'))))`,
      [ids, principal.agencyId],
    )) as { id: string; agency_id: string }[];
    const found = new Set(rows.map((row) => row.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new DomainError('not_found', 'user.not_found', 'no such user', { userIds: missing });
    }

    return rows.map((row) => ({ id: row.id, agencyId: row.agency_id }));
  }

  private async assertInteragencyAllowed(
    manager: EntityManager,
    ownAgencyId: string,
    users: { agencyId: string }[],
  ): Promise<void> {
    const agencies = new Set([ownAgencyId, ...users.map((user) => user.agencyId)]);
    if (agencies.size === 1) return;
    for (const agencyId of agencies) {
      if (!(await this.policies.of(agencyId, manager)).allowInteragency) {
        throw messagingErrors.policyForbids('interagency conversations');
      }
    }
  }
}

function groupManaged(): DomainError {
  return new DomainError(
    'conflict',
    'conversation.group_managed',
    "a group conversation's members follow the group; change the group instead",
  );
}

/**
 * Who may not open an alert's conversation: a member of the sending agency (an observer, say)
 * sees the alert, so is told why (403); for anyone else the alert does not exist (404).
 */
function refuseIncident(principal: Principal, alertAgencyId: string | undefined): never {
  if (alertAgencyId === principal.agencyId) {
    throw new DomainError(
      'forbidden',
      'conversation.incident_forbidden',
      "an incident's conversation is for its recipients and its agency's dispatchers and admins",
    );
  }

  throw new DomainError('not_found', 'alert.not_found', 'no such alert');
}

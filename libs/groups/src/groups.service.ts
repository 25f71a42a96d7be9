import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { DomainError } from '@tocsin/common';
import type { GroupDetailView, GroupRole, GroupView } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import { UserEntity } from '@tocsin/identity';
import type { EntityManager } from 'typeorm';
import { loadGroupAccess } from './group-access';
import { GroupEvents } from './group-events';
import { loadGroupDetail, loadVisibleGroups } from './group-views';
import { GroupPolicy, groupNotFound, type GroupAccess } from './group.policy';
import { toMultiPolygon } from './jurisdiction';

export interface NewGroup {
  name: string;
  jurisdiction?: unknown;
  interagency?: boolean;
}

export interface GroupChanges {
  name?: string;
  /** null removes the jurisdiction. */
  jurisdiction?: unknown;
}

/** Responder groups: creation, the jurisdiction, and each agency's own members. */
@Injectable()
export class GroupsService {
  constructor(
    @InjectEntityManager() private readonly manager: EntityManager,
    private readonly policy: GroupPolicy,
    private readonly audit: AuditService,
    private readonly events: GroupEvents,
  ) {}

  async create(principal: Principal, input: NewGroup): Promise<GroupDetailView> {
    this.policy.assertCanCreate(principal);
    const jurisdiction =
      input.jurisdiction === undefined || input.jurisdiction === null
        ? null
        : toMultiPolygon(input.jurisdiction);
    const name = input.name.trim();
    await this.assertNameFree(principal.agencyId, name);
    if (jurisdiction) await this.assertValidGeometry(jurisdiction);

    const groupId = await this.manager.transaction(async (tx) => {
      const [row] = (await tx.query(
        `INSERT INTO groups (agency_id, name, interagency, created_by, jurisdiction)
         VALUES ($1, $2, $3, $4, ST_Multi(ST_GeomFromGeoJSON($5))::geography)
         RETURNING id`,
        [
          principal.agencyId,
          name,
          input.interagency ?? false,
          principal.userId,
          jurisdiction ? JSON.stringify(jurisdiction) : null,
        ],
      )) as { id: string }[];
      await this.record(tx, principal, row.id, 'group.created', {
        name,
        interagency: input.interagency ?? false,
        jurisdiction: jurisdiction !== null,
      });

      return row.id;
    });

    return loadGroupDetail(this.manager, groupId);
  }

  list(principal: Principal): Promise<GroupView[]> {
    return loadVisibleGroups(this.manager, principal.agencyId);
  }

  async get(principal: Principal, groupId: string): Promise<GroupDetailView> {
    this.policy.assertCanView(await this.access(principal, groupId));

    return loadGroupDetail(this.manager, groupId);
  }

  async update(
    principal: Principal,
    groupId: string,
    changes: GroupChanges,
  ): Promise<GroupDetailView> {
    const access = await this.access(principal, groupId);
    this.policy.assertCanEdit(principal, access);
    const name = changes.name?.trim();
    if (name !== undefined) await this.assertNameFree(principal.agencyId, name, groupId);
    const jurisdiction =
      changes.jurisdiction === undefined || changes.jurisdiction === null
        ? changes.jurisdiction
        : toMultiPolygon(changes.jurisdiction);
    if (jurisdiction) await this.assertValidGeometry(jurisdiction);

    await this.manager.transaction(async (tx) => {
      if (name !== undefined) {
        await tx.query('UPDATE groups SET name = $2, updated_at = now() WHERE id = $1', [
          groupId,
          name,
        ]);
      }
      if (jurisdiction !== undefined) {
        await tx.query(
          `UPDATE groups SET updated_at = now(),
                  jurisdiction = ST_Multi(ST_GeomFromGeoJSON($2))::geography
            WHERE id = $1`,
          [groupId, jurisdiction ? JSON.stringify(jurisdiction) : null],
        );
      }
      await this.record(tx, principal, groupId, 'group.updated', {
        ...(name !== undefined ? { name } : {}),
        ...(jurisdiction !== undefined ? { jurisdiction: jurisdiction !== null } : {}),
      });
    });

    return loadGroupDetail(this.manager, groupId);
  }

  /** Adds (or changes the role of) a member from the caller's own agency. */
  async addMember(
    principal: Principal,
    groupId: string,
    userId: string,
    role: GroupRole = 'member',
  ): Promise<GroupDetailView> {
    const added = await this.manager.transaction(async (tx) => {
      const access = await this.access(principal, groupId, tx, true);
      this.policy.assertCanView(access);
      const user = await this.loadUserInAgency(tx, principal, userId);
      this.policy.assertCanManageMember(principal, access, user);
      const [existing] = (await tx.query(
        'SELECT role FROM group_members WHERE group_id = $1 AND user_id = $2',
        [groupId, userId],
      )) as { role: GroupRole }[];
      if (existing?.role === role) return false;
      if (user.userId === principal.userId && role === 'lead' && principal.role !== 'admin') {
        throw new DomainError('forbidden', 'group.forbidden', 'you cannot make yourself a lead');
      }
      if (user.disabled) {
        throw new DomainError('conflict', 'group.user_disabled', 'this user is disabled');
      }
      await tx.query(
        `INSERT INTO group_members (group_id, user_id, agency_id, role, added_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (group_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
        [groupId, userId, user.agencyId, role, principal.userId],
      );
      await this.record(
        tx,
        principal,
        groupId,
        existing ? 'group.member_role_changed' : 'group.member_added',
        { userId, role, ...(existing ? { from: existing.role } : {}) },
      );

      return !existing;
    });

    if (added) {
      await this.events.emit('group.members_changed', { groupId, added: [userId], removed: [] });
    }

    return loadGroupDetail(this.manager, groupId);
  }

  /** Removes a member of the caller's own agency, or the caller themselves (leaving). */
  async removeMember(principal: Principal, groupId: string, userId: string): Promise<void> {
    await this.manager.transaction(async (tx) => {
      const access = await this.access(principal, groupId, tx, true);
      this.policy.assertCanView(access);
      const [member] = (await tx.query(
        'SELECT agency_id FROM group_members WHERE group_id = $1 AND user_id = $2',
        [groupId, userId],
      )) as { agency_id: string }[];
      if (!member) {
        throw new DomainError('not_found', 'group.member_not_found', 'not a member of this group');
      }
      this.policy.assertCanManageMember(principal, access, { userId, agencyId: member.agency_id });

      await tx.query('DELETE FROM group_members WHERE group_id = $1 AND user_id = $2', [
        groupId,
        userId,
      ]);
      await this.record(tx, principal, groupId, 'group.member_removed', { userId });
    });

    await this.events.emit('group.members_changed', { groupId, added: [], removed: [userId] });
  }

  /** The caller's standing towards a group; 404 when there is no such group. */
  async access(
    principal: Principal,
    groupId: string,
    manager: EntityManager = this.manager,
    forUpdate = false,
  ): Promise<GroupAccess> {
    const access = await loadGroupAccess(manager, principal, groupId, forUpdate);
    if (!access) throw groupNotFound();

    return access;
  }

  /** A user of the caller's agency; another agency's user does not exist for the caller. */
  private async loadUserInAgency(tx: EntityManager, principal: Principal, userId: string) {
    const user = userId ? await tx.findOneBy(UserEntity, { id: userId }) : null;
    if (!user || user.agencyId !== principal.agencyId) {
      throw new DomainError('not_found', 'user.not_found', 'no such user');
    }

    return { userId: user.id, agencyId: user.agencyId, disabled: user.disabledAt !== null };
  }

  private async assertNameFree(agencyId: string, name: string, except?: string): Promise<void> {
    const rows = (await this.manager.query(
      `SELECT 1 FROM groups WHERE agency_id = $1 AND lower(name) = lower($2)
          AND ($3::uuid IS NULL OR id <> $3::uuid)`,
      [agencyId, name, except ?? null],
    )) as unknown[];
    if (rows.length > 0) {
      throw new DomainError('conflict', 'group.name_taken', 'the agency has a group of that name');
    }
  }

  /** PostGIS decides topology: a self-intersecting ring is refused with its reason. */
  private async assertValidGeometry(geometry: object): Promise<void> {
    const [row] = (await this.manager.query(
      `SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason
         FROM (SELECT ST_GeomFromGeoJSON($1) AS g) AS input`,
      [JSON.stringify(geometry)],
    )) as { valid: boolean; reason: string }[];
    if (!row.valid) {
      throw new DomainError(
        'invalid',
        'group.bad_jurisdiction',
        `jurisdiction is not a valid polygon: ${row.reason}`,
      );
    }
  }

  private record(
    tx: EntityManager,
    principal: Principal,
    groupId: string,
    action: string,
    data: Record<string, unknown>,
  ): Promise<unknown> {
    return this.audit.record(tx, {
      agencyId: principal.agencyId,
      actorId: principal.userId,
      action,
      targetType: 'group',
      targetId: groupId,
      data,
    });
  }
}

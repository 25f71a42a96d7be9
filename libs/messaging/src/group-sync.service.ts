import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { GroupEvents } from '@tocsin/groups';
import { DataSource } from 'typeorm';
import { ConversationStore } from './conversation-store';
import { MembershipService, type MembershipChange } from './membership.service';

/**
 * Keeps each group conversation's members equal to the group's: at once on every group
 * change, and for every group conversation at start (a change whose event was lost with
 * a crashed process is caught then).
 */
@Injectable()
export class GroupSyncService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(GroupSyncService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: GroupEvents,
    private readonly store: ConversationStore,
    private readonly membership: MembershipService,
  ) {}

  onModuleInit(): void {
    // Awaited by the route that changed the group: see GroupEvents.
    this.events.on('group.members_changed', ({ groupId }) =>
      this.sync(groupId)
        .then(() => undefined)
        .catch((error: unknown) =>
          this.logger.error({ err: error, groupId }, 'group conversation sync failed'),
        ),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const rows = (await this.dataSource.query(
      "SELECT group_id FROM conversations WHERE kind = 'group' AND group_id IS NOT NULL",
    )) as { group_id: string }[];
    for (const row of rows) await this.sync(row.group_id);
  }

  /** Makes the group's conversation (if any) have exactly the group's enabled members. */
  async sync(groupId: string): Promise<MembershipChange | undefined> {
    const change = await this.dataSource.transaction(async (manager) => {
      const found = await this.store.findBy(manager, 'group_id', groupId);
      if (!found) return undefined;
      const conversation = (await this.store.find(manager, found.id, true))!;
      const rows = (await manager.query(
        `SELECT m.user_id FROM group_members m JOIN users u ON u.id = m.user_id
          WHERE m.group_id = $1 AND u.disabled_at IS NULL`,
        [groupId],
      )) as { user_id: string }[];
      const wanted = new Set(rows.map((row) => row.user_id));
      const current = await this.store.currentMembers(manager, conversation.id);
      const gone = current.filter((member) => !wanted.has(member.userId)).map((m) => m.userId);
      const present = new Set(current.map((member) => member.userId));
      const fresh = [...wanted].filter((userId) => !present.has(userId));

      const removed = await this.membership.remove(manager, conversation, gone, null);
      const added = await this.membership.add(manager, conversation, fresh, null);

      return { conversationId: conversation.id, added, removed };
    });
    if (change) this.membership.announce(change);

    return change;
  }
}

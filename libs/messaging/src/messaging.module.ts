import { Module } from '@nestjs/common';
import { AuditModule } from '@tocsin/audit';
import { GroupsModule } from '@tocsin/groups';
import { PushModule } from '@tocsin/push';
import { ArchiveController } from './archive.controller';
import { ArchiveService } from './archive.service';
import { CommittedMessages } from './committed-messages';
import { ConversationAccess } from './conversation-access';
import { DispatchBatcher } from './dispatch-batcher';
import { ConversationStore } from './conversation-store';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { GroupSyncService } from './group-sync.service';
import { ManagedConversationsService } from './managed-conversations.service';
import { MembershipCache } from './membership-cache';
import { MembershipService } from './membership.service';
import { MessageAppender } from './message-appender';
import { MessageDeliveryService } from './message-delivery.service';
import { MessageObservers } from './message-observers';
import { MessageStore } from './message-store';
import { MessagesService } from './messages.service';
import { MessagingGateway } from './messaging.gateway';
import { OnlineUsers } from './online-users';
import { PresenceBatcher } from './presence-batcher';
import { MessagingPolicyService } from './policy.service';
import { RetentionService } from './retention.service';

@Module({
  imports: [AuditModule, GroupsModule, PushModule],
  controllers: [ConversationsController, ArchiveController],
  providers: [
    ConversationStore,
    MessageStore,
    MessagingPolicyService,
    MembershipCache,
    CommittedMessages,
    DispatchBatcher,
    MessageAppender,
    MembershipService,
    ConversationAccess,
    ConversationsService,
    MessagesService,
    MessageDeliveryService,
    GroupSyncService,
    ArchiveService,
    RetentionService,
    MessagingGateway,
    MessageObservers,
    ManagedConversationsService,
    OnlineUsers,
    PresenceBatcher,
  ],
  exports: [
    ConversationsService,
    MessagesService,
    RetentionService,
    GroupSyncService,
    MessageObservers,
    ManagedConversationsService,
    ArchiveService,
  ],
})
export class MessagingModule {}

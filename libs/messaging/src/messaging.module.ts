import { Module } from '@nestjs/common';
import { AuditModule } from '@tocsin/audit';
import { GroupsModule } from '@tocsin/groups';
import { PushModule } from '@tocsin/push';
import { ArchiveController } from './archive.controller';
import { ArchiveService } from './archive.service';
import { ConversationAccess } from './conversation-access';
import { ConversationStore } from './conversation-store';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { GroupSyncService } from './group-sync.service';
import { MembershipService } from './membership.service';
import { MessageDeliveryService } from './message-delivery.service';
import { MessageStore } from './message-store';
import { MessagesService } from './messages.service';
import { MessagingGateway } from './messaging.gateway';
import { MessagingPolicyService } from './policy.service';
import { RetentionService } from './retention.service';

@Module({
  imports: [AuditModule, GroupsModule, PushModule],
  controllers: [ConversationsController, ArchiveController],
  providers: [
    ConversationStore,
    MessageStore,
    MessagingPolicyService,
    MembershipService,
    ConversationAccess,
    ConversationsService,
    MessagesService,
    MessageDeliveryService,
    GroupSyncService,
    ArchiveService,
    RetentionService,
    MessagingGateway,
  ],
  exports: [ConversationsService, MessagesService, RetentionService, GroupSyncService],
})
export class MessagingModule {}

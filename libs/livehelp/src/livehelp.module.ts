import { Module } from '@nestjs/common';
import { AuditModule } from '@tocsin/audit';
import { IdentityModule } from '@tocsin/identity';
import { MessagingModule } from '@tocsin/messaging';
import { AbandonedChatsService } from './abandoned-chats.service';
import { AbuseLimits } from './abuse-limits';
import { ChatNotifier } from './chat-notifier';
import { LiveHelpCors } from './livehelp-cors';
import { LiveHelpEvents } from './livehelp-events';
import { LiveHelpSockets } from './livehelp-sockets';
import { PublicAlerts } from './public-alerts';
import { RepresentativesController } from './representatives.controller';
import { RepresentativesService } from './representatives.service';
import { LiveHelpSettingsService } from './settings.service';
import { VisitorController } from './visitor.controller';
import { VisitorGuard } from './visitor.guard';
import { VisitorSessionsService } from './visitor-sessions.service';
import { VisitorsStore } from './visitors.store';

/** Live Help: public visitors chat with the agency's representatives from its website. */
@Module({
  imports: [AuditModule, IdentityModule, MessagingModule],
  controllers: [VisitorController, RepresentativesController],
  providers: [
    AbandonedChatsService,
    AbuseLimits,
    ChatNotifier,
    LiveHelpCors,
    LiveHelpEvents,
    LiveHelpSockets,
    LiveHelpSettingsService,
    PublicAlerts,
    RepresentativesService,
    VisitorGuard,
    VisitorSessionsService,
    VisitorsStore,
  ],
  exports: [AbandonedChatsService, LiveHelpCors, LiveHelpSettingsService],
})
export class LiveHelpModule {}

import { Module } from '@nestjs/common';
import { AuditModule } from '@tocsin/audit';
import { GeoModule } from '@tocsin/geo';
import { IdentityModule } from '@tocsin/identity';
import { PushModule } from '@tocsin/push';
import { AlertCommandsService } from './alert-commands.service';
import { AlertDeliveryService } from './alert-delivery.service';
import { AlertEventRecorder } from './alert-event-recorder';
import { AlertQueriesService } from './alert-queries.service';
import { AlertResponsesService } from './alert-responses.service';
import { AlertsController } from './alerts.controller';
import { AlertsGateway } from './alerts.gateway';
import { AlertsRepository } from './alerts.repository';
import { CapExportService } from './cap/cap-export.service';
import { CapImportService } from './cap/cap-import.service';
import { CapController } from './cap/cap.controller';
import { CapRepository } from './cap/cap.repository';
import { PublicFeedController } from './cap/public-feed.controller';
import { EscalationService } from './escalation.service';
import { LocationsController, ResponderPositionsController } from './locations.controller';
import { LocationsService } from './locations.service';
import { RecipientsRepository } from './recipients.repository';

@Module({
  imports: [GeoModule, AuditModule, PushModule, IdentityModule],
  controllers: [
    AlertsController,
    LocationsController,
    ResponderPositionsController,
    CapController,
    PublicFeedController,
  ],
  providers: [
    AlertsRepository,
    RecipientsRepository,
    AlertCommandsService,
    AlertQueriesService,
    AlertResponsesService,
    AlertDeliveryService,
    LocationsService,
    EscalationService,
    AlertsGateway,
    AlertEventRecorder,
    CapRepository,
    CapImportService,
    CapExportService,
  ],
  exports: [
    AlertCommandsService,
    AlertQueriesService,
    AlertsRepository,
    RecipientsRepository,
    CapImportService,
    CapExportService,
  ],
})
export class AlertsModule {}

import { Module } from '@nestjs/common';
import { AuditModule } from '@tocsin/audit';
import { GeoModule } from '@tocsin/geo';
import { PushModule } from '@tocsin/push';
import { AlertCommandsService } from './alert-commands.service';
import { AlertDeliveryService } from './alert-delivery.service';
import { AlertQueriesService } from './alert-queries.service';
import { AlertResponsesService } from './alert-responses.service';
import { AlertsController } from './alerts.controller';
import { AlertsGateway } from './alerts.gateway';
import { AlertsRepository } from './alerts.repository';
import { EscalationService } from './escalation.service';
import { LocationsController } from './locations.controller';
import { LocationsService } from './locations.service';
import { RecipientsRepository } from './recipients.repository';

@Module({
  imports: [GeoModule, AuditModule, PushModule],
  controllers: [AlertsController, LocationsController],
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
  ],
  exports: [AlertCommandsService, AlertQueriesService, AlertsRepository, RecipientsRepository],
})
export class AlertsModule {}

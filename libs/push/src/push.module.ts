import { SubscriptionsController } from './subscriptions.controller';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { EndpointPolicy, hostRules, systemResolver, type Resolver } from './endpoint-policy';
import { PushDeliveryEntity, PushNotificationEntity } from './push-delivery.entity';
import { PushSubscriptionEntity } from './push-subscription.entity';
import { PushService } from './push.service';
import { PUSH_ENDPOINT_POLICY, PUSH_RESOLVER } from './push.tokens';
import { VapidKeysService } from './vapid-keys.service';
import { VapidController } from './vapid.controller';

/**
 * Web Push: VAPID keys, devices, and queueing deliveries. Sending them is PushWorkerModule's,
 * which runs in the API process or in a worker process (PUSH_WORKER). Needs the global
 * JobsModule (JOB_QUEUE).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([PushSubscriptionEntity, PushNotificationEntity, PushDeliveryEntity]),
  ],
  controllers: [VapidController, SubscriptionsController],
  providers: [
    { provide: PUSH_RESOLVER, useValue: systemResolver },
    {
      provide: PUSH_ENDPOINT_POLICY,
      inject: [APP_CONFIG, PUSH_RESOLVER],
      useFactory: (config: AppConfig, resolver: Resolver) =>
        new EndpointPolicy(hostRules(config.push.allowedHosts), resolver),
    },
    VapidKeysService,
    PushService,
  ],
  exports: [PushService, VapidKeysService, PUSH_ENDPOINT_POLICY],
})
export class PushModule {}

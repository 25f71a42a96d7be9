import { SubscriptionsController } from './subscriptions.controller';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { EndpointPolicy, hostRules, systemResolver, type Resolver } from './endpoint-policy';
import { PushDeliveryEntity, PushNotificationEntity } from './push-delivery.entity';
import { PushSender } from './push-sender';
import { PushSubscriptionEntity } from './push-subscription.entity';
import { PushService } from './push.service';
import { PUSH_ENDPOINT_POLICY, PUSH_RESOLVER, PUSH_SENDER } from './push.tokens';
import { PushWorker } from './push.worker';
import { VapidKeysService } from './vapid-keys.service';
import { VapidController } from './vapid.controller';

/** Web Push: VAPID keys, devices, queued delivery. Needs the global JobsModule (JOB_QUEUE). */
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
    {
      provide: PUSH_SENDER,
      inject: [APP_CONFIG, PUSH_ENDPOINT_POLICY, VapidKeysService],
      useFactory: (config: AppConfig, policy: EndpointPolicy, vapid: VapidKeysService) =>
        new PushSender(policy, () => vapid.get(), config.push),
    },
    VapidKeysService,
    PushService,
    PushWorker,
  ],
  exports: [PushService, VapidKeysService],
})
export class PushModule {}

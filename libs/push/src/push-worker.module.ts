import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import type { EndpointPolicy } from './endpoint-policy';
import { PushSender } from './push-sender';
import { PushModule } from './push.module';
import { PUSH_ENDPOINT_POLICY, PUSH_SENDER } from './push.tokens';
import { PushWorker } from './push.worker';
import { VapidKeysService } from './vapid-keys.service';

/**
 * The sending side of Web Push: takes the delivery jobs PushService queues, encrypts, signs
 * and sends them. Imported by the API process (PUSH_WORKER=in-process, the default) or by the
 * worker process (apps/api/src/worker.ts), never both for one deployment's API processes.
 */
@Module({
  imports: [PushModule],
  providers: [
    {
      provide: PUSH_SENDER,
      inject: [APP_CONFIG, PUSH_ENDPOINT_POLICY, VapidKeysService],
      useFactory: (config: AppConfig, policy: EndpointPolicy, vapid: VapidKeysService) =>
        new PushSender(policy, () => vapid.get(), config.push),
    },
    PushWorker,
  ],
})
export class PushWorkerModule {}

import { DynamicModule, Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { AuditModule } from '@tocsin/audit';
import type { AppConfig } from '@tocsin/config';
import type { DatabaseEndpoint } from '@tocsin/database';
import { FeedsModule } from '@tocsin/feeds';
import { GroupsModule } from '@tocsin/groups';
import { IdentityModule, SocketTokenAuthenticator } from '@tocsin/identity';
import { JobsModule } from '@tocsin/jobs';
import { LiveHelpModule } from '@tocsin/livehelp';
import { MessagingModule } from '@tocsin/messaging';
import { OutboxModule } from '@tocsin/outbox';
import { PushModule, PushWorkerModule } from '@tocsin/push';
import { RealtimeModule } from '@tocsin/realtime';
import { ClientConfigModule } from './client-config/client-config.module';
import { HealthModule } from './health/health.module';
import { processFoundation } from './schema';
import { HotRoutes } from './hot-routes';
import { SessionSockets } from './session-sockets';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, endpoint: DatabaseEndpoint): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...processFoundation(config, endpoint, 'migrate'),
        HealthModule,
        ClientConfigModule,
        JobsModule,
        OutboxModule,
        AuditModule,
        IdentityModule,
        GroupsModule,
        RealtimeModule.forRoot({
          imports: [IdentityModule],
          authenticator: SocketTokenAuthenticator,
        }),
        PushModule,
        // PUSH_WORKER=off: this process only queues; a worker process (worker.ts) sends.
        ...(config.push.worker === 'in-process' ? [PushWorkerModule] : []),
        AlertsModule,
        FeedsModule,
        MessagingModule,
        LiveHelpModule,
      ],
      providers: [SessionSockets, HotRoutes],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type AppConfig } from '@tocsin/config';
import { DatabaseModule, type DatabaseEndpoint } from '@tocsin/database';
import { AuditModule } from '@tocsin/audit';
import { GroupsModule } from '@tocsin/groups';
import { IdentityModule } from '@tocsin/identity';
import { RedisModule } from '@tocsin/redis';
import { JobsModule } from '@tocsin/jobs';
import { PushModule } from '@tocsin/push';
import { HealthModule } from './health/health.module';
import { ALL_MIGRATIONS } from './schema';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, endpoint: DatabaseEndpoint): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({
          endpoint,
          migrations: ALL_MIGRATIONS,
          connectRetries: config.database.connectRetries,
          retryDelayMs: config.database.retryDelayMs,
        }),
        RedisModule.forRoot(config.redis?.url),
        HealthModule,
        JobsModule,
        PushModule,
        AuditModule,
        IdentityModule,
        GroupsModule,
      ],
    };
  }
}

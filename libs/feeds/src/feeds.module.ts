import { Module } from '@nestjs/common';
import { AlertsModule } from '@tocsin/alerts';
import { AuditModule } from '@tocsin/audit';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { FeedPoller } from './feed-poller.service';
import { FeedSourcesService } from './feed-sources.service';
import { FeedUrlPolicy } from './feed-url-policy';
import { FeedsController } from './feeds.controller';
import { FEED_URL_POLICY } from './feeds.tokens';

@Module({
  imports: [AlertsModule, AuditModule],
  controllers: [FeedsController],
  providers: [
    {
      provide: FEED_URL_POLICY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new FeedUrlPolicy(config.cap.feeds.allowedHosts),
    },
    FeedPoller,
    FeedSourcesService,
  ],
  exports: [FeedSourcesService],
})
export class FeedsModule {}

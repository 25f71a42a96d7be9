import { Module } from '@nestjs/common';
import { ClientConfigController } from './client-config.controller';

/** `GET /api/client-config`: public settings for the PWA. */
@Module({ controllers: [ClientConfigController] })
export class ClientConfigModule {}

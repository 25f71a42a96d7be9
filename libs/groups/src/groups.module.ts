import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tocsin/audit';
import { GroupDirectory } from './group-directory';
import { GroupEntity, GroupMemberEntity, GroupPartnerEntity } from './group.entities';
import { GroupEvents } from './group-events';
import { GroupPolicy } from './group.policy';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';
import { PartnershipsService } from './partnerships.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([GroupEntity, GroupMemberEntity, GroupPartnerEntity]),
    AuditModule,
  ],
  controllers: [GroupsController],
  providers: [GroupPolicy, GroupsService, PartnershipsService, GroupDirectory, GroupEvents],
  exports: [GroupsService, GroupDirectory, GroupEvents, GroupPolicy],
})
export class GroupsModule {}

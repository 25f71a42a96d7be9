import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiBearerAuth,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { GroupDetailView, GroupView } from '@tocsin/contracts';
import { ApiErrors, BODY_ERRORS, CurrentUser, type Principal } from '@tocsin/http';
import { AddGroupMemberDto, CreateGroupDto, InvitePartnerDto, UpdateGroupDto } from './groups.dto';
import { GroupsService } from './groups.service';
import { PartnershipsService, type PartnerInvitationView } from './partnerships.service';

const uuid = () => new ParseUUIDPipe();

@ApiTags('groups')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('groups')
export class GroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly partnerships: PartnershipsService,
  ) {}

  @Post()
  @ApiCreatedResponse({ description: 'The new group.' })
  @ApiErrors(...BODY_ERRORS, 409)
  @ApiOperation({
    summary: 'Create a group',
    description:
      'Administrators create responder groups in their agency, optionally with a ' +
      'jurisdiction (GeoJSON Polygon or MultiPolygon) and as `interagency`, which lets ' +
      'partner agencies be invited.',
  })
  create(@CurrentUser() principal: Principal, @Body() body: CreateGroupDto) {
    return this.groups.create(principal, body);
  }

  @Get()
  @ApiOkResponse({ description: 'The groups the agency owns or joined.' })
  @ApiOperation({
    summary: 'List groups',
    description: "The groups the caller's agency owns or has joined as a partner.",
  })
  list(@CurrentUser() principal: Principal): Promise<GroupView[]> {
    return this.groups.list(principal);
  }

  @Get('invitations')
  @ApiOkResponse({ description: 'The groups that invited the agency.' })
  @ApiOperation({
    summary: 'Pending partnership invitations',
    description: "Administrators: interagency groups that invited the caller's agency.",
  })
  invitations(@CurrentUser() principal: Principal): Promise<PartnerInvitationView[]> {
    return this.partnerships.pending(principal);
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The group with its members and partners.' })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'Get a group',
    description:
      'The group with its members and partners, for staff of an agency that owns or joined ' +
      'it. Any other group answers 404.',
  })
  get(
    @CurrentUser() principal: Principal,
    @Param('id', uuid()) id: string,
  ): Promise<GroupDetailView> {
    return this.groups.get(principal, id);
  }

  @Patch(':id')
  @ApiOkResponse({ description: 'The group as changed.' })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  @ApiOperation({
    summary: 'Change a group',
    description: "The owner agency's administrators rename it or change its jurisdiction.",
  })
  update(
    @CurrentUser() principal: Principal,
    @Param('id', uuid()) id: string,
    @Body() body: UpdateGroupDto,
  ): Promise<GroupDetailView> {
    return this.groups.update(principal, id, body);
  }

  @Post(':id/members')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The group with its members.' })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  @ApiOperation({
    summary: 'Add a member',
    description:
      "Adds a user of the caller's own agency (or changes their role, `member` or `lead`). " +
      "Administrators and the group's leads may; each agency manages only its own members.",
  })
  addMember(
    @CurrentUser() principal: Principal,
    @Param('id', uuid()) id: string,
    @Body() body: AddGroupMemberDto,
  ): Promise<GroupDetailView> {
    return this.groups.addMember(principal, id, body.userId, body.role);
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The member has left the group.' })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'Remove a member',
    description:
      'Administrators and leads remove members of their own agency; anyone may remove ' +
      'themselves.',
  })
  async removeMember(
    @CurrentUser() principal: Principal,
    @Param('id', uuid()) id: string,
    @Param('userId', uuid()) userId: string,
  ): Promise<void> {
    await this.groups.removeMember(principal, id, userId);
  }

  @Post(':id/partners')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The agency is invited.' })
  @ApiErrors(...BODY_ERRORS, 404, 409)
  @ApiOperation({
    summary: 'Invite a partner agency',
    description:
      "The owner's administrators invite another agency into an interagency group; the " +
      "partner's administrators accept with `POST /api/groups/:id/partners/accept`.",
  })
  async invitePartner(
    @CurrentUser() principal: Principal,
    @Param('id', uuid()) id: string,
    @Body() body: InvitePartnerDto,
  ): Promise<void> {
    await this.partnerships.invite(principal, id, body.agencyId);
  }

  @Post(':id/partners/accept')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The agency has joined the group.' })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'Accept a partnership',
    description: "The invited agency's administrators join the group.",
  })
  async acceptPartnership(
    @CurrentUser() principal: Principal,
    @Param('id', uuid()) id: string,
  ): Promise<void> {
    await this.partnerships.accept(principal, id);
  }

  @Delete(':id/partners/:agencyId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The partnership has ended.' })
  @ApiErrors(400, 404)
  @ApiOperation({
    summary: 'End a partnership',
    description:
      "The owner's administrators remove a partner; a partner's administrators leave or " +
      "decline. The partner's members leave the group with it.",
  })
  async removePartner(
    @CurrentUser() principal: Principal,
    @Param('id', uuid()) id: string,
    @Param('agencyId', uuid()) agencyId: string,
  ): Promise<void> {
    await this.partnerships.remove(principal, id, agencyId);
  }
}

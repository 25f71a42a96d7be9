import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@tocsin/common';
import type { AuditPage, AuditVerification } from '@tocsin/contracts';
import { ApiErrors, CurrentUser, Roles, type Principal } from '@tocsin/http';
import { AuditQueryDto } from './audit-query.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors(401, 403)
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOkResponse({ description: 'A page of events, and `nextCursor` when more follow.' })
  @ApiErrors(400)
  @ApiOperation({
    summary: "Read the agency's audit log",
    description:
      "Administrators read their own agency's events, newest first by default. Filters: " +
      '`action`, `actorId`, `from`, `to` (ISO 8601); `sort` is `createdAt` or `-createdAt`; ' +
      'pages of `limit` (at most 200) follow `nextCursor`. Unknown parameters are refused.',
  })
  list(@CurrentUser() principal: Principal, @Query() query: AuditQueryDto): Promise<AuditPage> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from > to) {
      throw new DomainError('invalid', 'audit.bad_range', '`from` must not be after `to`');
    }

    return this.audit.list(principal, {
      action: query.action,
      actorId: query.actorId,
      from,
      to,
      order: query.sort === 'createdAt' ? 'asc' : 'desc',
      cursor: query.cursor,
      limit: query.limit ?? 50,
    });
  }

  @Get('verify')
  @ApiOkResponse({
    description: '`{ok, checked}`, or `{ok: false, firstBrokenId, reason}` at the first bad event.',
  })
  @ApiOperation({
    summary: 'Verify the audit hash chain',
    description:
      "Recomputes every hash of the agency's chain (the platform operator: of every chain) " +
      'and answers `{ok, checked}`, or `{ok: false, firstBrokenId, reason}` naming the first ' +
      'event that does not match. The same check runs from the shell: `npm run audit:verify`.',
  })
  verify(@CurrentUser() principal: Principal): Promise<AuditVerification> {
    return this.audit.verify(principal);
  }
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GROUP_ROLES, type GroupRole } from '@tocsin/contracts';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';

const PRINTABLE = /^[^\p{Cc}]+$/u;
const GEOJSON_EXAMPLE = {
  type: 'Polygon',
  coordinates: [
    [
      [2.2, 48.8],
      [2.5, 48.8],
      [2.5, 48.95],
      [2.2, 48.95],
      [2.2, 48.8],
    ],
  ],
};

export class CreateGroupDto {
  @ApiProperty({ example: 'Swift water rescue' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  @Matches(PRINTABLE, { message: 'name must not contain control characters' })
  name!: string;

  @ApiPropertyOptional({
    description: 'GeoJSON Polygon or MultiPolygon (WGS 84), stored as a MultiPolygon',
    example: GEOJSON_EXAMPLE,
  })
  @IsOptional()
  @IsObject()
  jurisdiction?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'partner agencies may be invited to join', default: false })
  @IsOptional()
  @IsBoolean()
  interagency?: boolean;
}

export class UpdateGroupDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  @Matches(PRINTABLE, { message: 'name must not contain control characters' })
  name?: string;

  @ApiPropertyOptional({ description: 'GeoJSON Polygon or MultiPolygon; null removes it' })
  @ValidateIf((_object, value) => value !== null && value !== undefined)
  @IsObject()
  jurisdiction?: Record<string, unknown> | null;
}

export class AddGroupMemberDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  userId!: string;

  @ApiPropertyOptional({ enum: GROUP_ROLES, default: 'member' })
  @IsOptional()
  @IsIn(GROUP_ROLES)
  role?: GroupRole;
}

export class InvitePartnerDto {
  @ApiProperty({ format: 'uuid', description: 'the partner agency' })
  @IsUUID('all')
  agencyId!: string;
}

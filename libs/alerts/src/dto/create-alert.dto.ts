import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_SCOPES,
  CAP_SEVERITIES,
  CAP_STATUSES,
  CAP_URGENCIES,
  type CapCategory,
  type CapCertainty,
  type CapScope,
  type CapSeverity,
  type CapStatus,
  type CapUrgency,
} from '@tocsin/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export const TEXT_LIMITS = { headline: 160, event: 120, description: 8000, instruction: 4000 };

/**
 * A date and a time with an offset (`Z` or `±hh:mm`): a bare date such as "9999" or a time
 * without an offset names no instant that every process and recipient would agree on.
 */
const DATE_TIME_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export class EscalationDto {
  @ApiProperty({ description: 'Seconds after sending at which silent recipients are chased' })
  @IsInt()
  @Min(5)
  @Max(86_400)
  afterSeconds!: number;

  @ApiPropertyOptional({ description: 'A group alerted when the delay passes with silence' })
  @IsOptional()
  @IsUUID('all')
  backupGroupId?: string;
}

/**
 * The body of `POST /api/alerts`. Areas are checked by the geo library (their shape is too
 * rich for decorators), so they arrive here as plain objects.
 */
export class CreateAlertDto {
  @ApiProperty({ maxLength: TEXT_LIMITS.event, example: 'Wildfire' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.event)
  event!: string;

  @ApiProperty({ maxLength: TEXT_LIMITS.headline, example: 'Grass fire near the east depot' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LIMITS.headline)
  headline!: string;

  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.description })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LIMITS.description)
  description?: string;

  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.instruction })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LIMITS.instruction)
  instruction?: string;

  @ApiPropertyOptional({ enum: CAP_CATEGORIES, isArray: true, default: ['Other'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CAP_CATEGORIES.length)
  @ArrayUnique()
  @IsIn(CAP_CATEGORIES, { each: true })
  category?: CapCategory[];

  @ApiProperty({ enum: CAP_SEVERITIES })
  @IsIn(CAP_SEVERITIES)
  severity!: CapSeverity;

  @ApiProperty({ enum: CAP_URGENCIES })
  @IsIn(CAP_URGENCIES)
  urgency!: CapUrgency;

  @ApiProperty({ enum: CAP_CERTAINTIES })
  @IsIn(CAP_CERTAINTIES)
  certainty!: CapCertainty;

  @ApiPropertyOptional({ enum: CAP_STATUSES, default: 'Actual' })
  @IsOptional()
  @IsIn(['Actual', 'Exercise', 'System', 'Test'])
  status?: CapStatus;

  @ApiPropertyOptional({ enum: CAP_SCOPES, default: 'Restricted' })
  @IsOptional()
  @IsIn(CAP_SCOPES)
  scope?: CapScope;

  @ApiPropertyOptional({
    description:
      'ISO 8601 date and time with an offset, within a year; defaults to the configured TTL',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE_TIME_WITH_OFFSET, {
    message: 'expires must be a date and time with an offset, such as 2026-12-04T18:00:00+01:00',
  })
  expires?: string;

  @ApiPropertyOptional({ description: 'ISO 8601; when the hazard starts' })
  @IsOptional()
  @IsISO8601({ strict: true })
  onset?: string;

  @ApiProperty({
    description:
      'One or more areas: {areaDesc, geometry: GeoJSON Polygon|MultiPolygon} or ' +
      '{areaDesc, circle: {center: [lon, lat], radiusMeters}}',
    type: 'array',
    items: { type: 'object' },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  areas!: unknown[];

  @ApiPropertyOptional({ type: [String], description: 'Groups whose members receive the alert' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  groupIds?: string[];

  @ApiPropertyOptional({ description: 'Preview the recipients without sending' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ type: EscalationDto })
  @IsOptional()
  // Without it an array passes ValidateNested (its items are checked, not the array itself).
  @IsObject()
  @ValidateNested()
  @Type(() => EscalationDto)
  escalation?: EscalationDto;
}

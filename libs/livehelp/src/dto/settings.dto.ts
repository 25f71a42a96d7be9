import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PUSH_MODES, type PushMode } from '@tocsin/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export class CannedAnswerDto {
  @ApiProperty({ maxLength: 80 })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  title!: string;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  body!: string;
}

export class UpdateLiveHelpSettingsDto {
  @ApiPropertyOptional({
    type: [String],
    maxItems: 50,
    description: 'Origins whose pages may embed the widget: `https://www.example.org`',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  allowedOrigins?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: 200,
    description:
      'Pages representatives may push: absolute URL prefixes on the allowed sites. A prefix ' +
      'ending in `/` covers everything below it.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  pushPrefixes?: string[];

  @ApiPropertyOptional({
    enum: PUSH_MODES,
    description: 'Open pushed pages in the same tab or a new one',
  })
  @IsOptional()
  @IsIn(PUSH_MODES)
  pushMode?: PushMode;

  @ApiPropertyOptional({ type: [CannedAnswerDto], maxItems: 100 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  // ValidateNested alone lets a nested array through as an answer without title or body.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CannedAnswerDto)
  cannedAnswers?: CannedAnswerDto[];

  @ApiPropertyOptional({
    nullable: true,
    description:
      'GeoJSON Polygon or MultiPolygon (lon, lat): active public alerts meeting it are shown ' +
      'in the widget. null removes it.',
  })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsObject()
  area?: Record<string, unknown> | null;
}

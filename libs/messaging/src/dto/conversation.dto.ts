import { OptionalNotNull } from '@tocsin/http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONVERSATION_KINDS, type CreatableConversationKind } from '@tocsin/contracts';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export class CreateConversationDto {
  @ApiProperty({
    enum: CONVERSATION_KINDS,
    description:
      '`group` (with `groupId`: members follow the group), `incident` (with `alertId`: the ' +
      "alert's recipients and the sending agency's dispatchers and admins), `direct` (with " +
      'one id in `memberIds`, same agency), `interagency` (with `title` and `memberIds` from ' +
      'your agency and its partner agencies).',
  })
  @IsIn(CONVERSATION_KINDS)
  kind!: CreatableConversationKind;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 500 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  memberIds?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  groupId?: string;

  @ApiPropertyOptional({ description: 'For `incident`: the alert' })
  @IsOptional()
  @IsUUID('all')
  alertId?: string;
}

export class AddMemberDto {
  @ApiProperty()
  @IsUUID('all')
  userId!: string;
}

export class LegalHoldDto {
  @ApiProperty({ description: 'true puts the conversation under hold, false lifts your hold' })
  @IsBoolean()
  hold!: boolean;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class UpdatePolicyDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  allowDirect?: boolean;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  allowInteragency?: boolean;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  newMembersSeeHistory?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    description: 'Days messages sent by your agency are kept; null keeps them forever',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36_500)
  retentionDays?: number | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLIENT_ID_MAX_LENGTH } from '@tocsin/contracts';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

/** No control characters but tab; names and topics are one line. */
const ONE_LINE = /^[^\u0000-\u001f\u007f]*$/;

export class StartVisitorDto {
  @ApiProperty({ description: 'The agency whose Live Help the widget opens (its `data-agency`)' })
  @IsUUID('all')
  agencyId!: string;

  @ApiPropertyOptional({ maxLength: 80, description: 'How the visitor wants to be called' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  @Matches(ONE_LINE, { message: 'name is one line of text' })
  name?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'What the visitor needs help with' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(ONE_LINE, { message: 'topic is one line of text' })
  topic?: string;
}

export class VisitorMessageDto {
  @ApiProperty({
    maxLength: CLIENT_ID_MAX_LENGTH,
    description: 'Chosen by the widget; a resend with the same id returns the stored message',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(CLIENT_ID_MAX_LENGTH)
  @Matches(/^[\x21-\x7e]+$/, { message: 'clientId is printable ASCII without spaces' })
  clientId!: string;

  @ApiProperty({ description: 'Text; at most LIVEHELP_MESSAGE_MAX_LENGTH characters (413 beyond)' })
  @IsString()
  body!: string;
}

export class AfterSeqQuery {
  @ApiPropertyOptional({ description: 'Only messages with a greater seq (default 0)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  afterSeq?: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLIENT_ID_MAX_LENGTH, MESSAGE_MAX_LENGTH } from '@tocsin/contracts';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsISO8601,
  IsInt,
  IsNumber,
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

export class LocationDto {
  @ApiProperty({ minimum: -90, maximum: 90 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiProperty({ minimum: -180, maximum: 180 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon!: number;

  @ApiPropertyOptional({ description: 'metres' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100_000)
  accuracy?: number;
}

export class SendMessageDto {
  @ApiProperty({
    maxLength: CLIENT_ID_MAX_LENGTH,
    description:
      'Chosen by the client (a UUID is best). Sending again with the same id returns the ' +
      'stored message and never stores a second one.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(CLIENT_ID_MAX_LENGTH)
  @Matches(/^[\x21-\x7e]+$/, { message: 'clientId is printable ASCII without spaces' })
  clientId!: string;

  @ApiPropertyOptional({
    maxLength: MESSAGE_MAX_LENGTH,
    description: `Text, 1 to ${MESSAGE_MAX_LENGTH} characters; optional caption with a location`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MESSAGE_MAX_LENGTH)
  body?: string;

  @ApiPropertyOptional({ type: LocationDto, description: 'A shared location the map can show' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;
}

export class EditMessageDto {
  @ApiProperty({ maxLength: MESSAGE_MAX_LENGTH })
  @IsString()
  @MaxLength(MESSAGE_MAX_LENGTH)
  body!: string;
}

export class ListMessagesQuery {
  @ApiPropertyOptional({ description: 'Only messages with a greater seq (default 0)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  afterSeq?: number;

  @ApiPropertyOptional({ maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class ExportQuery {
  @ApiPropertyOptional({ description: 'Messages sent at or after this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Messages sent before this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class ReceiptDto {
  @ApiProperty({ minimum: 0 })
  @IsInt()
  @Min(0)
  seq!: number;
}

/** Socket payloads: the HTTP bodies plus the conversation (and message) ids. */
export class SocketSendDto extends SendMessageDto {
  @IsUUID('all')
  conversationId!: string;
}

export class SocketEditDto extends EditMessageDto {
  @IsUUID('all')
  conversationId!: string;

  @IsUUID('all')
  messageId!: string;
}

export class SocketDeleteDto {
  @IsUUID('all')
  conversationId!: string;

  @IsUUID('all')
  messageId!: string;
}

export class SocketReceiptDto extends ReceiptDto {
  @IsUUID('all')
  conversationId!: string;
}

export class SocketTypingDto {
  @IsUUID('all')
  conversationId!: string;

  @IsBoolean()
  typing!: boolean;
}

export class SocketConversationDto {
  @IsUUID('all')
  conversationId!: string;
}

export class SocketCatchUpDto {
  /** Conversation id → last seq, or {seq, rev}; checked in the service. */
  @IsDefined()
  @IsObject()
  positions!: Record<string, unknown>;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLIENT_ID_MAX_LENGTH, MESSAGE_MAX_LENGTH } from '@tocsin/contracts';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export class TransferDto {
  @ApiProperty({ description: 'A dispatcher or administrator of your agency' })
  @IsUUID('all')
  userId!: string;
}

export class BlockDto {
  @ApiPropertyOptional({ description: 'Default LIVEHELP_BLOCK_MINUTES', maximum: 525_600 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(525_600)
  minutes?: number;
}

export class PushPageDto {
  @ApiProperty({ maxLength: 2000, description: 'A page under one of the agency’s push prefixes' })
  @IsString()
  @MaxLength(2000)
  url!: string;
}

export class RepresentativeMessageDto {
  @ApiProperty({ maxLength: CLIENT_ID_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(CLIENT_ID_MAX_LENGTH)
  @Matches(/^[\x21-\x7e]+$/, { message: 'clientId is printable ASCII without spaces' })
  clientId!: string;

  @ApiProperty({ maxLength: MESSAGE_MAX_LENGTH })
  @IsString()
  @MaxLength(MESSAGE_MAX_LENGTH)
  body!: string;
}

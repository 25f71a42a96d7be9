import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RESPONSE_STATUSES, type ResponseStatus } from '@tocsin/contracts';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { BodyMayBeAbsent } from '@tocsin/http';

export class RespondDto {
  @ApiProperty({ enum: RESPONSE_STATUSES })
  @IsIn(RESPONSE_STATUSES)
  status!: ResponseStatus;

  @ApiPropertyOptional({ description: 'Minutes to arrival, with `responding`' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24 * 60)
  etaMinutes?: number;
}

/** A socket `alert.respond` payload: the HTTP body plus the alert id. */
export class SocketRespondDto extends RespondDto {
  @IsUUID('all')
  alertId!: string;
}

/** A socket `alert.ack` payload: the client has the alert's event `seq`. */
export class SocketAckDto {
  @IsUUID('all')
  alertId!: string;

  @IsInt()
  @Min(1)
  seq!: number;
}

@BodyMayBeAbsent()
export class CancelAlertDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsNotEmptyObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_ENDPOINT_LENGTH } from './endpoint-policy';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export class PushSubscriptionKeysDto {
  @ApiProperty({
    description: "The browser's P-256 public key, base64url (65 bytes decoded)",
    example:
      'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
  })
  @IsString()
  @MaxLength(100)
  @Matches(BASE64URL, { message: 'keys.p256dh must be base64url' })
  p256dh!: string;

  @ApiProperty({ description: 'The shared auth secret, base64url (16 bytes decoded)' })
  @IsString()
  @MaxLength(40)
  @Matches(BASE64URL, { message: 'keys.auth must be base64url' })
  auth!: string;
}

/**
 * What `PushSubscription.toJSON()` gives in a browser, as `POST /api/push/subscriptions` takes it.
 */
export class CreatePushSubscriptionDto {
  @ApiProperty({
    description: "The push service URL of this device (https; a known push service's host)",
    example: 'https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bH...',
  })
  @IsString()
  @MaxLength(MAX_ENDPOINT_LENGTH)
  endpoint!: string;

  @ApiProperty({ type: PushSubscriptionKeysDto })
  @IsDefined()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => PushSubscriptionKeysDto)
  keys!: PushSubscriptionKeysDto;

  @ApiPropertyOptional({
    description: 'When the browser will drop this subscription (ms since the epoch), or null',
    nullable: true,
    type: Number,
  })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsInt()
  @Min(0)
  expirationTime?: number | null;
}

/** One of the caller's own devices, as listed back to them (the keys are not returned). */
export class PushSubscriptionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() endpointOrigin!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) userAgent!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) expiresAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastSuccessAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastFailureAt!: string | null;
  @ApiProperty() successCount!: number;
  @ApiProperty() failureCount!: number;
}

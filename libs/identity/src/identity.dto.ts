import { OptionalNotNull } from '@tocsin/http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { USER_ROLES, type UserRole } from '@tocsin/contracts';
import {
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PASSWORD_MAX_LENGTH } from './passwords';

const PRINTABLE = /^[^\p{Cc}]+$/u;

export class LoginDto {
  @ApiProperty({ example: 'dispatch@agency.example' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'the refresh token from login or the last refresh' })
  @IsString()
  @MaxLength(128)
  refreshToken!: string;
}

export class CreateAgencyDto {
  @ApiProperty({ example: 'County Fire & Rescue' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  @Matches(PRINTABLE, { message: 'name must not contain control characters' })
  name!: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'responder@agency.example' })
  @IsEmail({ allow_display_name: false, require_tld: false })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Sam Rivera' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  @Matches(PRINTABLE, { message: 'displayName must not contain control characters' })
  displayName!: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role!: UserRole;

  @ApiPropertyOptional({
    description:
      'a one-time password the user must change; without it an invitation link is returned',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  @Matches(PRINTABLE, { message: 'displayName must not contain control characters' })
  displayName?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @OptionalNotNull()
  @IsIn(USER_ROLES)
  role?: UserRole;
}

export class AcceptInvitationDto {
  @ApiProperty({ description: 'the token from the invitation link' })
  @IsString()
  @MaxLength(128)
  token!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword!: string;
}

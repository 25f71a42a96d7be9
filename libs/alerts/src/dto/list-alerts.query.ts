import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ListAlertsQuery {
  @ApiPropertyOptional({
    description: 'west,south,east,north in degrees',
    example: '2.2,48.8,2.5,49',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  bbox?: string;

  @ApiPropertyOptional({ enum: ['active', 'cancelled', 'expired'] })
  @IsOptional()
  @IsIn(['active', 'cancelled', 'expired'])
  status?: 'active' | 'cancelled' | 'expired';

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

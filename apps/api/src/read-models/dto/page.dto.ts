import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** What every read-model query takes: a page and, for read-your-writes, a command's position. */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page (opaque)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: "a command's global position (decimal string): wait until the read model includes it", example: '1042' })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'minPosition must be a decimal position (digits only)' })
  minPosition?: string;
}

export const REGISTRATION_NUMBER = /^\d{11}$/;
export const REGISTRATION_NUMBER_MESSAGE = 'must be an 11-digit registration number';

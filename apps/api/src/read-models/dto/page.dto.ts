import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DigitsToNumber, IsPosition } from '../../http/validators';

/** What every read-model query takes: a page and, for read-your-writes, a command's position. */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page (opaque)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @DigitsToNumber()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: "a command's global position (decimal string): wait until the read model includes it", example: '1042' })
  @IsOptional()
  @IsPosition()
  minPosition?: string;
}

export const REGISTRATION_NUMBER = /^\d{11}$/;
export const REGISTRATION_NUMBER_MESSAGE = 'must be an 11-digit registration number';

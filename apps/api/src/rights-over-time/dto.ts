import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { TermDto } from '../applications/dto/term.dto';

/** A login reported by the portal. The personal code is in the body, never in the URL. */
export class PortalLoginDto {
  @ApiProperty({ example: '121288-15555', description: 'the user who authenticated (with or without the hyphen)' })
  @IsString()
  @Length(11, 12)
  personalCode!: string;

  @ApiPropertyOptional({ example: '2026-03-02T09:15:00+02:00', description: 'when the user authenticated; default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  authenticatedAt?: string;
}

/** Mainīt / lietošanas pārtraukšana: a draft prefilled from the application in force. */
export class DraftChangeDto {
  @ApiProperty({ enum: ['change', 'termination'] })
  @IsIn(['change', 'termination'])
  kind!: 'change' | 'termination';

  @ApiProperty({ example: 'Moves to the procurement unit: needs COORDINATE instead of MANAGE.' })
  @IsString()
  @Length(1, 2000)
  justification!: string;

  @ApiPropertyOptional({ type: TermDto, description: 'default: the term of the application in force' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TermDto)
  term?: TermDto;
}

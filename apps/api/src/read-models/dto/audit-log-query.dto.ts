import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsInstant } from '../../http/validators';
import { PageQueryDto, REGISTRATION_NUMBER, REGISTRATION_NUMBER_MESSAGE } from './page.dto';

export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'application-5b0c...' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  stream?: string;

  @ApiPropertyOptional({ example: '90000000001' })
  @IsOptional()
  @Matches(REGISTRATION_NUMBER, { message: `institution ${REGISTRATION_NUMBER_MESSAGE}` })
  institution?: string;

  @ApiPropertyOptional({ example: 'ApplicationApproved' })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9]{0,99}$/, { message: 'type must be an event type name' })
  type?: string;

  @ApiPropertyOptional({ description: 'from this instant (inclusive), ISO 8601 with a zone', example: '2026-03-01T00:00:00+02:00' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'to this instant (exclusive), ISO 8601 with a zone', example: '2026-04-01T00:00:00+03:00' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

/** The same filters and the actor, in a body: an actor is a personal code, never put in a URL. */
export class AuditLogSearchDto extends AuditLogQueryDto {
  @ApiPropertyOptional({ example: '320000-00000', description: 'a personal code, or system:<process>' })
  @IsOptional()
  @Matches(/^(\d{6}-?\d{5}|system:[a-z0-9][a-z0-9._-]*)$/i, { message: 'actor must be a personal code (DDMMYY-NNNNN) or system:<process>' })
  actor?: string;
}

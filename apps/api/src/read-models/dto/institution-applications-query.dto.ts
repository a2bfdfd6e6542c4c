import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { APPLICATION_KINDS, APPLICATION_STATUSES } from '@atlauja/domain';
import { PageQueryDto } from './page.dto';

const STATUSES = APPLICATION_STATUSES.filter((s) => s !== 'none');
const STATUS_LIST = new RegExp(`^(${STATUSES.join('|')})(,(${STATUSES.join('|')}))*$`);

export class InstitutionApplicationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: `one or more statuses, comma-separated (${STATUSES.join(', ')})`, example: 'signed,approved' })
  @IsOptional()
  @Matches(STATUS_LIST, { message: `status must be one or more of ${STATUSES.join(', ')}, comma-separated` })
  status?: string;

  @ApiPropertyOptional({ enum: APPLICATION_KINDS })
  @IsOptional()
  @IsIn(APPLICATION_KINDS)
  kind?: string;

  @ApiPropertyOptional({ description: "part of the user's name; case and diacritics do not matter", example: 'berzina' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { APPLICATION_KINDS } from '@atlauja/domain';
import { PageQueryDto, REGISTRATION_NUMBER, REGISTRATION_NUMBER_MESSAGE } from './page.dto';

export class ApprovalQueueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '90000000001' })
  @IsOptional()
  @Matches(REGISTRATION_NUMBER, { message: `institution ${REGISTRATION_NUMBER_MESSAGE}` })
  institution?: string;

  @ApiPropertyOptional({ enum: APPLICATION_KINDS })
  @IsOptional()
  @IsIn(APPLICATION_KINDS)
  kind?: string;

  @ApiPropertyOptional({ enum: ['yes', 'no', 'mine'], description: 'claimed by anyone, unclaimed, or claimed by the caller' })
  @IsOptional()
  @IsIn(['yes', 'no', 'mine'])
  claimed?: 'yes' | 'no' | 'mine';
}

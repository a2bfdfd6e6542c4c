import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PageQueryDto, REGISTRATION_NUMBER, REGISTRATION_NUMBER_MESSAGE } from './page.dto';

/** A search of the rights register. In a body, because a personal code never goes into a URL. */
export class RightsSearchDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '320000-00000', description: "the user's personal code (personas kods)" })
  @IsOptional()
  @Matches(/^\d{6}-?\d{5}$/, { message: 'personalCode must be 11 digits, written DDMMYY-NNNNN or without the hyphen' })
  personalCode?: string;

  @ApiPropertyOptional({ example: '90000000001', description: 'the institution that applied for the rights (the user\'s employer); required for representatives' })
  @IsOptional()
  @Matches(REGISTRATION_NUMBER, { message: `employer ${REGISTRATION_NUMBER_MESSAGE}` })
  employer?: string;

  @ApiPropertyOptional({ example: '90000000001', description: 'an institution or resort the rights are on' })
  @IsOptional()
  @Matches(REGISTRATION_NUMBER, { message: `scope ${REGISTRATION_NUMBER_MESSAGE}` })
  scope?: string;
}

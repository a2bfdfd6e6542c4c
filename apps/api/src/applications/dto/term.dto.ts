import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsIn, IsISO8601, ValidateIf } from 'class-validator';

/** Until a date, or 18 months after the user's last login in the portal (sliding). */
export class TermDto {
  @ApiProperty({ enum: ['until', 'after-last-login'], example: 'after-last-login' })
  @IsIn(['until', 'after-last-login'])
  kind!: 'until' | 'after-last-login';

  @ApiPropertyOptional({ example: '2027-12-31', description: 'with kind "until": the last day of the rights' })
  @ValidateIf((term: TermDto) => term.kind === 'until')
  @IsISO8601({ strict: true }, { message: 'date must be a calendar date YYYY-MM-DD' })
  date?: string;

  @ApiPropertyOptional({ example: 18, description: 'with kind "after-last-login": always 18' })
  @ValidateIf((term: TermDto) => term.kind === 'after-last-login')
  @Equals(18, { message: 'months must be 18' })
  months?: 18;
}

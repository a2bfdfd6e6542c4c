import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** The person is named in the body, never in a URL (URLs end up in logs, proxies and browser history). */
export class UserHistoryDto {
  @ApiProperty({ description: 'personal code, DDMMYY-NNNNN (the hyphen is optional)', example: '121288-15557' })
  @Matches(/^\d{6}-?\d{5}$/, { message: 'personalCode must be 11 digits written DDMMYY-NNNNN (the hyphen is optional)' })
  personalCode!: string;
}

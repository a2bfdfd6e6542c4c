import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, Matches } from 'class-validator';

/** The user the rights are for. The personal code's own rules (check digit, date) are the domain's. */
export class UserDto {
  @ApiProperty({ example: 'Anna' })
  @IsString()
  @Length(1, 100)
  givenName!: string;

  @ApiProperty({ example: 'Bērziņa' })
  @IsString()
  @Length(1, 100)
  surname!: string;

  @ApiProperty({ example: '320000-00000', description: 'personas kods, DDMMYY-NNNNN or 11 digits; never returned unmasked' })
  @IsString()
  @Matches(/^\d{6}-?\d{5}$/, { message: 'personalCode must be 11 digits, written DDMMYY-NNNNN or without the hyphen' })
  personalCode!: string;

  @ApiProperty({ example: 'anna.berzina@iestade.gov.lv' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @Length(3, 254)
  email!: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

const REG = /^\d{11}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The shape only; the registry's rules (resort heads, e-address, ...) are the domain's, with their codes. */
export class InstitutionDetailsDto {
  @ApiPropertyOptional({ example: 'Izdomātā ministrija' }) @IsOptional() @IsString() @MaxLength(300) officialName?: string;
  @ApiPropertyOptional({ example: 'IM' }) @IsOptional() @IsString() @MaxLength(100) shortName?: string;
  @ApiPropertyOptional({ enum: ['ministry', 'cvi', 'subordinate', 'municipality'] }) @IsOptional() @IsString() type?: string;
  @ApiPropertyOptional({ description: 'registration number of the resort head; a head names itself (or leaves it out)' })
  @IsOptional() @Matches(REG, { message: 'resortHead must be an 11-digit registration number' }) resortHead?: string;
  @ApiPropertyOptional({ enum: [1, 2, 3] }) @IsOptional() @IsInt() coordinationVariant?: number;
  @ApiPropertyOptional({ example: '_DEFAULT@90000000001' }) @IsOptional() @IsString() @MaxLength(100) eAddress?: string;
}

export class RegisterInstitutionDto extends InstitutionDetailsDto {
  @ApiProperty({ example: '90000000001' }) @Matches(REG, { message: 'registrationNumber must be an 11-digit registration number' }) registrationNumber!: string;
}

export class ReasonBodyDto {
  @ApiProperty() @IsString() @Length(1, 2000) reason!: string;
}

export class RepresentativeDto {
  @ApiProperty({ description: 'personal code (in the body, never in a URL)' }) @IsString() @MaxLength(20) personalCode!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2000) reason?: string;
}

export class MergeDto {
  @ApiProperty({ description: 'the institution taking this one over' }) @Matches(REG, { message: 'into must be an 11-digit registration number' }) into!: string;
  @ApiProperty({ example: '2025-07-01', description: 'the legal date of the merge (on or before today)' }) @Matches(DATE, { message: 'effectiveDate must be YYYY-MM-DD' }) effectiveDate!: string;
}

export class ImportDto {
  @ApiProperty({ description: 'the CSV text (columns in docs/institutions.md)' }) @IsString() @MaxLength(5_000_000) csv!: string;
  @ApiPropertyOptional() @IsOptional() @IsIn([true, false]) dryRun?: boolean;
}

export class OpenCampaignDto {
  @ApiProperty({ example: '90000000001' }) @Matches(REG, { message: 'institution must be an 11-digit registration number' }) institution!: string;
  @ApiProperty({ example: '2025-03-31', description: 'the last day the representative may confirm' }) @Matches(DATE, { message: 'deadline must be YYYY-MM-DD' }) deadline!: string;
}

export class CampaignUserDto {
  @ApiProperty({ description: 'the user’s personal code (in the body, never in a URL)' }) @IsString() @MaxLength(20) personalCode!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2000) reason?: string;
}

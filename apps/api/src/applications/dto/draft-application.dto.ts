import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { TermDto } from './term.dto';
import { UserDto } from './user.dto';

export class DraftApplicationDto {
  @ApiProperty({ enum: ['new-user', 'change', 'termination'], example: 'new-user' })
  @IsIn(['new-user', 'change', 'termination'])
  kind!: 'new-user' | 'change' | 'termination';

  @ApiProperty({ example: '90000000001', description: 'registration number of the applying institution (the user\'s employer)' })
  @Matches(/^\d{11}$/, { message: 'institution must be an 11-digit registration number' })
  institution!: string;

  @ApiProperty({ type: UserDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => UserDto)
  user!: UserDto;

  @ApiProperty({ type: TermDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => TermDto)
  term!: TermDto;

  @ApiProperty({ example: 'Prepares the ministry\'s estimate and oversees the subordinates\' estimates.' })
  @IsString()
  @Length(1, 2000)
  justification!: string;

  @ApiPropertyOptional({ description: 'change / termination: the id of the application now in force for the user' })
  @IsOptional()
  @IsUUID()
  replaces?: string;
}

export class EditDraftDto {
  @ApiPropertyOptional({ type: UserDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => UserDto)
  user?: UserDto;

  @ApiPropertyOptional({ type: TermDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TermDto)
  term?: TermDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  justification?: string;
}

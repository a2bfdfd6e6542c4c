import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, Matches, ValidateIf, ValidateNested } from 'class-validator';

const GROUPS = ['MANAGE', 'APPROVE', 'SIGN', 'VIEW', 'COORDINATE', 'COORDINATE_MIN'] as const;

export class RightsScopeDto {
  @ApiProperty({ enum: ['institution', 'resort'], example: 'institution' })
  @IsIn(['institution', 'resort'])
  kind!: 'institution' | 'resort';

  @ApiPropertyOptional({ example: '90000000001', description: 'with kind "institution"' })
  @ValidateIf((scope: RightsScopeDto) => scope.kind === 'institution')
  @Matches(/^\d{11}$/, { message: 'institution must be an 11-digit registration number' })
  institution?: string;

  @ApiPropertyOptional({ example: '90000000001', description: 'with kind "resort": the registration number of the resort\'s head' })
  @ValidateIf((scope: RightsScopeDto) => scope.kind === 'resort')
  @Matches(/^\d{11}$/, { message: 'resort must be an 11-digit registration number' })
  resort?: string;

  @ApiProperty({ enum: GROUPS, isArray: true, example: ['MANAGE'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(GROUPS.length)
  @IsIn(GROUPS, { each: true, message: `each group must be one of ${GROUPS.join(', ')}` })
  groups!: (typeof GROUPS)[number][];
}

export class SetRightsDto {
  @ApiProperty({ type: [RightsScopeDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => RightsScopeDto)
  rights!: RightsScopeDto[];
}

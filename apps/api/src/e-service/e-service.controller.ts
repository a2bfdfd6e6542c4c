import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Refuses, Responds } from '../docs/contract';
import { Type } from 'class-transformer';
import { IsIn, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { authorize, Principal } from '@atlauja/auth';
import { RIGHTS_GROUPS, tryNormalizePersonalCode } from '@atlauja/domain';
import { answerAuthorization } from '@atlauja/projections';
import { BearerGuard, CurrentPrincipal, ForServiceCredentials } from '../auth/bearer.guard';
import { problem, ProblemError } from '../http/problem';
import { ReadModelsHost } from '../read-models/read-models.host';
import { CLOCK, type Clock } from '../store/tokens';

class ScopeDto {
  @ApiProperty({ enum: ['institution', 'resort'] }) @IsIn(['institution', 'resort']) kind!: 'institution' | 'resort';
  @ApiProperty({ example: '90000000001', description: 'registration number of the institution, or of the resort head' })
  @Matches(/^\d{11}$/, { message: 'scope.id must be an 11-digit registration number' })
  id!: string;
}

export class AuthorizationQuestionDto {
  @ApiProperty({ description: 'the user (in the body, never in a URL)' }) @IsString() @MaxLength(20) personalCode!: string;
  @ApiProperty({ enum: RIGHTS_GROUPS }) @IsIn([...RIGHTS_GROUPS]) group!: string;
  @ApiProperty({ type: ScopeDto }) @ValidateNested() @Type(() => ScopeDto) scope!: ScopeDto;
}

/**
 * The e-service "Budžets" asks: may this user use this rights group at this scope now? Allow, or
 * deny with the reason (not granted, expired, revoked, ended, locked, institution inactive), from
 * the rights register at the position it states. A service credential only.
 */
@ApiTags('e-service')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('e-service')
export class EServiceController {
  constructor(private readonly readModels: ReadModelsHost, @Inject(CLOCK) private readonly clock: Clock) {}

  @Post('authorizations')
  @ForServiceCredentials()
  @HttpCode(200)
  @ApiOperation({ summary: 'May this user use this rights group at this scope now? (service credential)' })
  @Responds(200, 'AuthorizationAnswer')
  @Refuses(422)
  async answer(@Body() body: AuthorizationQuestionDto, @CurrentPrincipal() principal: Principal) {
    authorize(principal, 'eservice.authorize');
    const personalCode = tryNormalizePersonalCode(body.personalCode);
    if (!personalCode) throw new ProblemError(problem(422, 'Invalid personal code', { code: 'PERSONAL_CODE_INVALID', detail: 'personalCode is not a valid personal code' }));
    return answerAuthorization(this.readModels.sql, this.readModels.schema, { personalCode, group: body.group, scope: body.scope }, this.clock.now());
  }
}
